// attestation.json, the one model (verifier/attest/public_attestation.h writes it,
// attestation_config.h ParsePublicAttestation reads it): the example of docs/FORMAT.md §11 written
// by hand reads as the attestation it describes, writes back with the same content, and gives the
// id the status site vets it by (PublicAttestationId). recheck_files_test.cpp round-trips the
// writer's own output and lists what the reader refuses.
#include "verifier/attest/public_attestation.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace segverify::attest {
namespace {

// docs/FORMAT.md §11, with its placeholders filled in.
const std::string kHandWritten = R"({"format":"segverify-public-attestation/1","id":"2026-11",
 "message":"Example Exchange attestation 2026-11: client assets",
 "assets":[{"symbol":"BTC","decimals":8,"chain":"bitcoin"},
           {"symbol":"USDT","decimals":6,"chain":"ethereum","contract":"0xdAC17F958D2ee523a2206206994597C13D831ec7"}],
 "chains":{"bitcoin":{"height":870000},
           "ethereum":{"type":"evm","chain_id":1,"block":21000000}},
 "pools":[{"name":"spot",
           "root":{"hash":")" + std::string(64, 'a') +
                                 R"(","sums":["1234.5","50000"],"height":20},
           "addresses":[{"chain":"bitcoin","address":"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"}]},
          {"name":"margin","root":null,
           "addresses":[{"chain":"ethereum","address":"0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"}]}],
 "firm":{"addresses":[],"keys":[]}})";

TEST(PublicAttestation, ReadsTheDocumentOfTheFormatSpecification) {
  auto attestation = ParsePublicAttestation(kHandWritten, "attestation.json");
  ASSERT_TRUE(attestation.ok()) << attestation.error().message;
  EXPECT_EQ(attestation->id, "2026-11");
  EXPECT_EQ(attestation->message, "Example Exchange attestation 2026-11: client assets");
  ASSERT_EQ(attestation->chains.size(), 2u);
  ASSERT_EQ(attestation->pools.size(), 2u);
  const ConfigPool& spot = attestation->pools[0];
  EXPECT_EQ(spot.name, "spot");
  EXPECT_TRUE(spot.liabilities_path.empty());
  ASSERT_TRUE(spot.root.has_value());
  EXPECT_EQ(spot.root->sums, (std::vector<u128>{123450000000, 50000000000}));
  EXPECT_EQ(spot.root->height, 20u);
  ASSERT_EQ(spot.addresses.size(), 1u);
  EXPECT_EQ(spot.addresses[0].address, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");
  EXPECT_FALSE(attestation->pools[1].root.has_value());
  EXPECT_TRUE(attestation->firm_keys.empty());
  // Written back and read again: the same attestation.
  std::vector<std::optional<merkle::PublishedRoot>> roots;
  for (const ConfigPool& pool : attestation->pools) roots.push_back(pool.root);
  const std::string written = PublicAttestationToJson(*attestation, roots);
  auto again = ParsePublicAttestation(written, "attestation.json");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(PublicAttestationToJson(*again, roots), written);
  EXPECT_EQ(again->pools[0].root, attestation->pools[0].root);
}

TEST(PublicAttestation, ItsIdIsReadWithEveryFieldChecked) {
  auto id = PublicAttestationId(kHandWritten, "attestation.json");
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(*id, "2026-11");
  // Not only the format and id: a document the reader refuses has no id.
  std::string broken = kHandWritten;
  broken.replace(broken.find(R"("message")"), 9, R"("massage")");
  EXPECT_FALSE(PublicAttestationId(broken, "attestation.json").ok());
  EXPECT_FALSE(PublicAttestationId(R"({"format":"segverify-public-attestation/1","id":"2026-11"})", "attestation.json").ok());
}

}  // namespace
}  // namespace segverify::attest
