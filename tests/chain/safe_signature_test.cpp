// A Safe's ERC-1271 answer computed locally (verifier/chain/safe_signature.h) against signatures
// made by ethers 6 (tests/chain/vectors/safe-signatures-ethers.json, written by
// tests/tools/safe_signature_vectors.mjs): the Safe message hash must equal ethers' EIP-712 hash,
// and each case's outcome is Safe's checkNSignatures rule applied by hand. The same check against
// the real Safe contracts on anvil runs in tests/attest/vault_scenarios.cpp.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/hex.h"
#include "tests/chain/eth_hex.h"
#include "tests/support/fixture_json.h"
#include "verifier/chain/eip191.h"
#include "verifier/chain/ethereum_address.h"
#include "verifier/chain/safe_signature.h"

namespace segverify::chain {
namespace {

EthAddress Address(const std::string& text) {
  auto parsed = DecodeEthereumAddress(text);
  EXPECT_TRUE(parsed) << text;
  return parsed ? parsed->bytes : EthAddress{};
}

Hash256 HashOf(const std::string& text) {
  Hash256 hash{};
  EXPECT_TRUE(FromHexExact(text.substr(2), hash)) << text;
  return hash;
}

class SafeSignatureVectors : public ::testing::Test {
 protected:
  void SetUp() override {
    doc_ = testing::LoadFixture("tests/chain/vectors/safe-signatures-ethers.json");
    ASSERT_TRUE(doc_);
    for (const auto& o : (*doc_)["owners"].GetArray()) owners_.push_back(Address(o.GetString()));
  }
  const JsonValue& doc() const { return *doc_; }

  std::unique_ptr<JsonDocument> doc_;
  std::vector<EthAddress> owners_;
};

TEST_F(SafeSignatureVectors, SafeMessageHashIsEthersEip712Hash) {
  EXPECT_EQ(Eip191MessageHash(testing::Str(doc(), "message")), HashOf(testing::Str(doc(), "eip191_hash")));
  EXPECT_EQ(SafeMessageHash(Address(testing::Str(doc(), "safe")), doc()["chain_id"].GetUint64(),
                            HashOf(testing::Str(doc(), "eip191_hash"))),
            HashOf(testing::Str(doc(), "safe_message_hash")));
  // Another chain or another Safe signs another hash (no replay across them).
  EXPECT_NE(SafeMessageHash(Address(testing::Str(doc(), "safe")), 10, HashOf(testing::Str(doc(), "eip191_hash"))),
            HashOf(testing::Str(doc(), "safe_message_hash")));
}

TEST_F(SafeSignatureVectors, EachCaseHasItsOutcome) {
  const EthAddress safe = Address(testing::Str(doc(), "safe"));
  const std::uint64_t chain_id = doc()["chain_id"].GetUint64();
  int checked = 0;
  for (const auto& c : doc()["cases"].GetArray()) {
    SCOPED_TRACE(testing::Str(c, "name"));
    const std::string expect = testing::Str(c, "expect");
    auto result = VerifySafeSignature(safe, chain_id, testing::Str(doc(), "message"),
                                      EthHex(testing::Str(c, "signature")), owners_, c["threshold"].GetUint64());
    if (expect == "chain") {
      EXPECT_FALSE(result.has_value());
    } else {
      ASSERT_TRUE(result.has_value());
      EXPECT_EQ(result->verdict, expect == "valid" ? OwnershipVerdict::kValid : OwnershipVerdict::kInvalid)
          << result->reason;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 12);
}

// The valid signature proves nothing for a Safe with other owners, a higher threshold, another
// message, another Safe address, or a flipped bit.
TEST_F(SafeSignatureVectors, ValidSignatureHoldsOnlyForItsSafeAndMessage) {
  const EthAddress safe = Address(testing::Str(doc(), "safe"));
  const std::string message = testing::Str(doc(), "message");
  const Bytes signature = EthHex(testing::Str(doc()["cases"][0], "signature"));
  auto verdict = [&](const EthAddress& at, const std::string& text, const Bytes& sig,
                     const std::vector<EthAddress>& owners, std::uint64_t threshold) {
    auto r = VerifySafeSignature(at, 1, text, sig, owners, threshold);
    return r ? r->verdict : OwnershipVerdict::kCannotCheck;
  };
  ASSERT_EQ(verdict(safe, message, signature, owners_, 2), OwnershipVerdict::kValid);
  EXPECT_EQ(verdict(safe, message, signature, owners_, 3), OwnershipVerdict::kInvalid);
  EXPECT_EQ(verdict(safe, message, signature, {owners_[2]}, 2), OwnershipVerdict::kInvalid);
  EXPECT_EQ(verdict(safe, message + " ", signature, owners_, 2), OwnershipVerdict::kInvalid);
  EthAddress other = safe;
  other[19] ^= 1;
  EXPECT_EQ(verdict(other, message, signature, owners_, 2), OwnershipVerdict::kInvalid);
  Bytes flipped = signature;
  flipped[10] ^= 1;
  EXPECT_EQ(verdict(safe, message, flipped, owners_, 2), OwnershipVerdict::kInvalid);
}

}  // namespace
}  // namespace segverify::chain
