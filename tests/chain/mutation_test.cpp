// Robustness: every single-byte change and every truncation of published valid proofs must be
// rejected (never kValid) without crashing — run under -DSEGVERIFY_SANITIZE=ON to catch
// out-of-bounds reads in the parsers.
#include <string>

#include <gtest/gtest.h>

#include "tests/support/fixture_json.h"
#include "verifier/chain/bitcoin_address.h"
#include "verifier/chain/base64_strict.h"
#include "verifier/chain/bip322.h"

namespace segverify::chain {
namespace {

struct Proof {
  std::string address, message, prefix, payload_base64;
};

// One proof of each verified shape from the BIP-322 generated vectors.
std::vector<Proof> PublishedProofs() {
  std::vector<Proof> proofs;
  auto doc = testing::LoadFixture("fixtures/vectors/bip322-generated-test-vectors.json");
  if (!doc) return proofs;
  for (const char* section : {"simple", "full"}) {
    for (const auto& v : (*doc)[section].GetArray()) {
      const std::string type = testing::Str(v, "type");
      if (type.find("time-lock") != std::string::npos || type == "p2pkh" || type == "p2sh-multisig-2of2") continue;
      const std::string sig = v["bip322_signatures"][0].GetString();
      proofs.push_back({testing::Str(v, "address"), testing::Str(v, "message"), sig.substr(0, 3), sig.substr(3)});
    }
  }
  return proofs;
}

TEST(Bip322Mutation, EveryFlippedByteAndTruncationIsRejected) {
  const std::vector<Proof> proofs = PublishedProofs();
  ASSERT_EQ(proofs.size(), 10u);
  int checked = 0;
  for (const Proof& proof : proofs) {
    SCOPED_TRACE(proof.address);
    auto address = chain::DecodeBitcoinAddress(proof.address);
    ASSERT_TRUE(address);
    auto payload = DecodeBase64Strict(proof.payload_base64);
    ASSERT_TRUE(payload);
    ASSERT_EQ(VerifyBip322(*address, proof.message, proof.prefix + proof.payload_base64, std::nullopt).verdict,
              OwnershipVerdict::kValid);
    for (std::size_t i = 0; i < payload->size(); ++i) {
      Bytes mutated = *payload;
      mutated[i] ^= 0x01;
      const auto result = VerifyBip322(*address, proof.message, proof.prefix + EncodeBase64(mutated), std::nullopt);
      // Every byte of a witness or to_sign is either checked or committed to by the sighash
      // (nLockTime and nSequence included), so no single change may stay valid.
      EXPECT_NE(result.verdict, OwnershipVerdict::kValid) << "byte " << i << ": " << result.reason;
      ++checked;
    }
    for (std::size_t len = 0; len < payload->size(); ++len) {
      const Bytes truncated(payload->begin(), payload->begin() + static_cast<std::ptrdiff_t>(len));
      const auto result = VerifyBip322(*address, proof.message, proof.prefix + EncodeBase64(truncated), std::nullopt);
      EXPECT_NE(result.verdict, OwnershipVerdict::kValid) << "length " << len;
      ++checked;
    }
  }
  EXPECT_GT(checked, 2000);
}

}  // namespace
}  // namespace segverify::chain
