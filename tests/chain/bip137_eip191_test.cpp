// Known answers for recoverable-signature proofs: BIP-137 (Bitcoin Core and bitcoinjs-message
// vectors, fixtures/vectors/bip137-vectors.json) and EIP-191 (ethers.signMessage output,
// fixtures/vectors/eip191-ethers-vectors.json).
#include <string>

#include <gtest/gtest.h>

#include "common/hex.h"
#include "tests/support/fixture_json.h"
#include "verifier/chain/bitcoin_address.h"
#include "verifier/chain/ethereum_address.h"
#include "verifier/chain/bip137.h"
#include "verifier/chain/eip191.h"
#include "verifier/chain/ownership.h"

namespace segverify::chain {
namespace {

using testing::LoadFixture;
using testing::Str;

OwnershipVerdict ExpectedVerdict(const std::string& text) {
  if (text == "valid") return OwnershipVerdict::kValid;
  if (text == "invalid") return OwnershipVerdict::kInvalid;
  return OwnershipVerdict::kMalformed;
}

TEST(Bip137, PublishedVectors) {
  auto doc = LoadFixture("fixtures/vectors/bip137-vectors.json");
  ASSERT_TRUE(doc);
  int checked = 0;
  for (const auto& v : (*doc)["vectors"].GetArray()) {
    SCOPED_TRACE(Str(v, "origin") + " " + Str(v, "address"));
    auto address = chain::DecodeBitcoinAddress(Str(v, "address"));
    ASSERT_TRUE(address) << address.error().message;
    const OwnershipResult result = VerifyBip137(*address, Str(v, "message"), Str(v, "signature"));
    EXPECT_EQ(result.verdict, ExpectedVerdict(Str(v, "expect"))) << result.reason;
    if (result.ok()) {
      ASSERT_EQ(result.signer_keys.size(), 1u);
      EXPECT_EQ(result.signer_keys[0].size(), 33u);
    }
    ++checked;
  }
  EXPECT_EQ(checked, 11);
}

TEST(Bip137, MessageIsHashedExactlyAsGiven) {
  // No trimming or normalization: a trailing newline or an embedded NUL is a different message.
  EXPECT_NE(BitcoinSignedMessageHash("a"), BitcoinSignedMessageHash("a\n"));
  EXPECT_NE(BitcoinSignedMessageHash(""), BitcoinSignedMessageHash(std::string(1, '\0')));
}

TEST(Bip137, RejectsWrongLengthAndBadBase64AsMalformed) {
  auto address = chain::DecodeBitcoinAddress("1F3sAm6ZtwLAUnj7d38pGFxtP3RVEvtsbV");
  ASSERT_TRUE(address);
  EXPECT_EQ(VerifyBip137(*address, "m", "AAAA").verdict, OwnershipVerdict::kMalformed);
  EXPECT_EQ(VerifyBip137(*address, "m", "not base64!").verdict, OwnershipVerdict::kMalformed);
}

TEST(Bip137, P2trAndP2wshAddressesAreUnsupported) {
  const std::string sig = "H9L5yLFjti0QTHhPyFrZCT1V/MMnBtXKmoiKDZ78NDBjERki6ZTQZdSMCtkgoNmp17By9ItJr8o7ChX0XxY91nk=";
  for (const char* text : {"bc1pss0zhytly75awhm6x2hhvd5lnzv3vssgrf9axfheq8ldyzn88ges79fler",
                           "bc1qp0ahvfh83088w49k405szqgg4f3pptr7p2g06tdxfjcd40z4lh4q95lsz9"}) {
    auto address = chain::DecodeBitcoinAddress(text);
    ASSERT_TRUE(address);
    EXPECT_EQ(VerifyBip137(*address, "This is an example of a signed message.", sig).verdict, OwnershipVerdict::kUnsupported);
  }
}

TEST(Eip191, EthersVectors) {
  auto doc = LoadFixture("fixtures/vectors/eip191-ethers-vectors.json");
  ASSERT_TRUE(doc);
  int checked = 0;
  for (const auto& v : (*doc)["vectors"].GetArray()) {
    const std::string message = Str(v, "message");
    SCOPED_TRACE(Str(v, "address") + " '" + message + "'");
    EXPECT_EQ("0x" + ToHex(Eip191MessageHash(message)), Str(v, "hash"));
    auto address = chain::DecodeEthereumAddress(Str(v, "address"));
    ASSERT_TRUE(address);
    const OwnershipResult result = VerifyEip191(*address, message, Str(v, "signature"));
    EXPECT_EQ(result.verdict, OwnershipVerdict::kValid) << result.reason;
    EXPECT_EQ(VerifyEip191(*address, message + "x", Str(v, "signature")).verdict, OwnershipVerdict::kInvalid);
    ++checked;
  }
  EXPECT_EQ(checked, 10);
}

TEST(Eip191, RejectsBadVAndBadLength) {
  auto doc = LoadFixture("fixtures/vectors/eip191-ethers-vectors.json");
  ASSERT_TRUE(doc);
  const auto& v = (*doc)["vectors"][1];
  auto address = chain::DecodeEthereumAddress(Str(v, "address"));
  ASSERT_TRUE(address);
  std::string sig = Str(v, "signature");
  EXPECT_EQ(VerifyEip191(*address, Str(v, "message"), sig.substr(0, sig.size() - 2) + "1d").verdict,
            OwnershipVerdict::kInvalid);  // v = 29
  EXPECT_EQ(VerifyEip191(*address, Str(v, "message"), sig.substr(0, sig.size() - 2)).verdict,
            OwnershipVerdict::kMalformed);  // 64 bytes
  EXPECT_EQ(VerifyEip191(*address, Str(v, "message"), "0xzz").verdict, OwnershipVerdict::kMalformed);
}

TEST(OwnershipDetection, PicksTheProofTypeFromAddressAndSignature) {
  OwnershipClaim claim;
  claim.chain = Chain::kBitcoin;
  claim.address = "1F3sAm6ZtwLAUnj7d38pGFxtP3RVEvtsbV";
  claim.message = "This is an example of a signed message.";
  claim.signature = "H9L5yLFjti0QTHhPyFrZCT1V/MMnBtXKmoiKDZ78NDBjERki6ZTQZdSMCtkgoNmp17By9ItJr8o7ChX0XxY91nk=";
  EXPECT_EQ(VerifyOwnership(claim).verdict, OwnershipVerdict::kValid);
  claim.type = ProofType::kEip191;  // an explicit type is not second-guessed
  EXPECT_EQ(VerifyOwnership(claim).verdict, OwnershipVerdict::kMalformed);
  claim.type = std::nullopt;
  claim.chain = Chain::kEthereum;  // a Bitcoin address on the Ethereum chain
  EXPECT_EQ(VerifyOwnership(claim).verdict, OwnershipVerdict::kMalformed);
}

TEST(OwnershipDetection, ContractSignatureWithoutANodeCannotBeChecked) {
  OwnershipClaim claim;
  claim.chain = Chain::kEthereum;
  claim.address = "0xFCAd0B19bB29D4674531d6f115237E16AfCE377c";
  claim.message = "m";
  claim.signature = "0x" + std::string(200, 'a');  // not 65 bytes → ERC-1271
  claim.block = 1;
  EXPECT_EQ(VerifyOwnership(claim).verdict, OwnershipVerdict::kCannotCheck);
}

// docs/DESIGN.md §Contract vaults: a contract proves ownership with ERC-1271 only. Whether
// the address has code decides the type when it is known; offline, a 65-byte signature that fails
// EIP-191 may be a contract wallet's and is "cannot check", never "invalid".
TEST(OwnershipDetection, AddressCodeDecidesTheEthereumProofType) {
  auto doc = LoadFixture("fixtures/vectors/eip191-ethers-vectors.json");
  ASSERT_TRUE(doc);
  const auto& v = (*doc)["vectors"][1];
  OwnershipClaim claim;
  claim.chain = Chain::kEthereum;
  claim.address = Str(v, "address");
  claim.message = Str(v, "message");
  claim.signature = Str(v, "signature");
  claim.block = 7;
  int calls = 0;
  EthCall magic = [&calls](const EthAddress&, const Bytes&, std::uint64_t) -> Result<EthCallResult> {
    ++calls;
    Bytes word(32, 0);
    std::copy(kErc1271MagicValue.begin(), kErc1271MagicValue.end(), word.begin());
    return EthCallResult{EthCallOutcome::kReturned, word};
  };

  EXPECT_EQ(VerifyOwnership(claim).verdict, OwnershipVerdict::kValid);  // offline: a valid EIP-191 signature
  claim.has_code = false;
  EXPECT_EQ(VerifyOwnership(claim).verdict, OwnershipVerdict::kValid);
  claim.type = ProofType::kErc1271;
  claim.eth_call = magic;
  OwnershipResult no_code = VerifyOwnership(claim);
  EXPECT_EQ(no_code.verdict, OwnershipVerdict::kInvalid);
  EXPECT_NE(no_code.reason.find("no code at block 7"), std::string::npos) << no_code.reason;
  EXPECT_EQ(calls, 0);  // nothing there to ask

  claim.has_code = true;
  claim.type = ProofType::kEip191;
  OwnershipResult has_code = VerifyOwnership(claim);
  EXPECT_EQ(has_code.verdict, OwnershipVerdict::kInvalid);  // even though the signature itself is right
  EXPECT_NE(has_code.reason.find("has code at block 7"), std::string::npos) << has_code.reason;
  claim.type = std::nullopt;
  EXPECT_EQ(VerifyOwnership(claim).verdict, OwnershipVerdict::kValid);  // detected: ERC-1271
  EXPECT_EQ(calls, 1);

  claim.has_code = std::nullopt;
  claim.eth_call = nullptr;
  claim.message += "!";  // the 65 bytes no longer verify as EIP-191
  OwnershipResult offline = VerifyOwnership(claim);
  EXPECT_EQ(offline.verdict, OwnershipVerdict::kCannotCheck);
  EXPECT_NE(offline.reason.find("needs a node"), std::string::npos) << offline.reason;
  claim.type = ProofType::kEip191;  // an explicit type is checked offline as asked
  EXPECT_EQ(VerifyOwnership(claim).verdict, OwnershipVerdict::kInvalid);
}

TEST(OwnershipTypes, ParseAndPrint) {
  for (const char* name : {"bip137", "bip322", "eip191", "erc1271"}) {
    auto type = ParseProofType(name);
    ASSERT_TRUE(type);
    EXPECT_EQ(ToString(*type), name);
  }
  EXPECT_FALSE(ParseProofType("BIP137"));
  EXPECT_FALSE(ParseProofType("custom"));
  EXPECT_FALSE(ParseChain("litecoin"));
}

}  // namespace
}  // namespace segverify::chain
