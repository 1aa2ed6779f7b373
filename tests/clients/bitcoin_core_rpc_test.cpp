// Pins clients/bitcoin_core_rpc.h, the pieces the Bitcoin Core client's files share: a reply's
// result in exact-text mode (numbers kept as their literal text, so amounts never pass through a
// double), a refusal as a value naming the node's escaped message, the descriptor list that goes
// into JSON and Core's descriptor parser (only plain address characters), and sums by script; and
// clients/bitcoin_types.h CheckHeaderIsBlock, which both Bitcoin clients use on a pinned header.
#include "clients/bitcoin_core_rpc.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace segverify::clients {
namespace {

RpcReply Answer(std::string result_json) {
  RpcReply reply;
  reply.result_json = std::move(result_json);
  return reply;
}

TEST(BitcoinCoreRpc, ResultKeepsNumbersAsTheirText) {
  auto doc = CoreResult(Answer(R"({"height":870000,"total_amount":0.00000001,"big":18446744073709551616})"), "core");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  const JsonValue& result = **doc;
  ASSERT_TRUE(result["total_amount"].IsString());
  EXPECT_STREQ(result["total_amount"].GetString(), "0.00000001");
  EXPECT_EQ(CoreUint64(result["height"]), std::optional<std::uint64_t>(870000));
  EXPECT_FALSE(CoreUint64(result["total_amount"]).has_value());  // not a whole number
  EXPECT_FALSE(CoreUint64(result["big"]).has_value());           // 2^64 does not fit
}

TEST(BitcoinCoreRpc, ARefusalNamesTheOriginAndTheNodesEscapedMessage) {
  RpcReply refused;
  refused.is_error = true;
  refused.error_code = -8;
  refused.error_message = "Scan already in progress\x1b[31m";
  auto doc = CoreResult(refused, "bitcoin source 1 (scantxoutset)");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().kind, ProblemKind::kRefusedByNode);
  EXPECT_EQ(doc.error().message.rfind("bitcoin source 1 (scantxoutset): Scan already in progress", 0), 0u)
      << doc.error().message;
  EXPECT_EQ(doc.error().message.find('\x1b'), std::string::npos) << "the node's control characters are escaped";
  // A transport error passes through unchanged; malformed JSON is a malformed answer.
  EXPECT_EQ(CoreResult(Error{"down", ProblemKind::kUnreachable}, "core").error().kind, ProblemKind::kUnreachable);
  EXPECT_EQ(CoreResult(Answer("{"), "core").error().kind, ProblemKind::kMalformedAnswer);
}

TEST(BitcoinCoreRpc, DescriptorsHoldOnlyPlainAddresses) {
  const std::vector<BitcoinTarget> targets = {{"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "0014aa"},
                                              {"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "76a9"}};
  auto descriptors = AddressDescriptors(targets);
  ASSERT_TRUE(descriptors.ok()) << descriptors.error().message;
  EXPECT_EQ(*descriptors,
            R"x(["addr(bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq)","addr(1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2)"])x");
  EXPECT_EQ(*AddressDescriptors({}), "[]");
  for (const std::string bad : {R"(bc1q"])", "bc1q) ", "addr(x)", ""}) {
    auto refused = AddressDescriptors({{bad, "00"}});
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().kind, ProblemKind::kInput);
  }
}

TEST(BitcoinCoreRpc, SumsByTargetMatchScriptsWhateverTheirCase) {
  const std::vector<BitcoinTarget> targets = {{"a", "0014AB"}, {"b", "0014cd"}, {"c", "0014ef"}};
  const std::map<std::string, u128> by_script = {{"0014ab", 5}, {"0014cd", 7}};
  EXPECT_EQ(SumsByTarget(targets, by_script), (std::vector<u128>{5, 7, 0}));
}

TEST(BitcoinHeader, TheHeaderAnsweredMustBeTheBlockAskedFor) {
  const std::string hash(64, 'a');
  EXPECT_TRUE(CheckHeaderIsBlock(std::string(64, 'A'), 870000, hash, 870000, "core").ok());  // either case
  const Status other_hash = CheckHeaderIsBlock(std::string(64, 'b'), 870000, hash, 870000, "core (getblockheader)");
  ASSERT_FALSE(other_hash.ok());
  EXPECT_EQ(other_hash.error().kind, ProblemKind::kProofMismatch);
  EXPECT_EQ(other_hash.error().message, "core (getblockheader): header does not match block 870000 " + hash);
  EXPECT_FALSE(CheckHeaderIsBlock(hash, 869999, hash, 870000, "esplora").ok());
  EXPECT_FALSE(CheckHeaderIsBlock(hash, std::nullopt, hash, 870000, "core").ok());
}

}  // namespace
}  // namespace segverify::clients
