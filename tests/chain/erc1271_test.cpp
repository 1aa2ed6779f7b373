// ERC-1271: calldata layout against ethers' Interface.encodeFunctionData
// (tests/chain/vectors/erc1271-calldata-ethers.json) and the answer rules, with a scripted node.
#include <string>

#include <gtest/gtest.h>

#include "common/hex.h"
#include "tests/chain/eth_hex.h"
#include "tests/support/fixture_json.h"
#include "verifier/chain/ethereum_address.h"
#include "verifier/chain/eip191.h"
#include "verifier/chain/erc1271.h"

namespace segverify::chain {
namespace {

TEST(Erc1271, CalldataMatchesEthersEncodeFunctionData) {
  auto doc = testing::LoadFixture("tests/chain/vectors/erc1271-calldata-ethers.json");
  ASSERT_TRUE(doc);
  int checked = 0;
  for (const auto& v : (*doc)["vectors"].GetArray()) {
    SCOPED_TRACE(testing::Str(v, "signature"));
    Hash256 hash{};
    ASSERT_TRUE(FromHexExact(testing::Str(v, "hash").substr(2), hash));
    EXPECT_EQ("0x" + ToHex(EncodeIsValidSignatureCall(hash, EthHex(testing::Str(v, "signature")))),
              testing::Str(v, "calldata"));
    ++checked;
  }
  EXPECT_EQ(checked, 7);
}

Bytes MagicWord() {
  Bytes word(32, 0);
  std::copy(kErc1271MagicValue.begin(), kErc1271MagicValue.end(), word.begin());
  return word;
}

TEST(Erc1271, AnswerIsValidOnlyForTheExactMagicWord) {
  EXPECT_EQ(DecodeIsValidSignatureAnswer({EthCallOutcome::kReturned, MagicWord()}), Erc1271Answer::kMagicValue);
  EXPECT_EQ(DecodeIsValidSignatureAnswer({EthCallOutcome::kReverted, MagicWord()}), Erc1271Answer::kReverted);
  Bytes longer = MagicWord();
  longer.resize(64, 0);
  EXPECT_EQ(DecodeIsValidSignatureAnswer({EthCallOutcome::kReturned, longer}), Erc1271Answer::kOtherValue);
  Bytes dirty = MagicWord();
  dirty[31] = 1;
  EXPECT_EQ(DecodeIsValidSignatureAnswer({EthCallOutcome::kReturned, dirty}), Erc1271Answer::kOtherValue);
  EXPECT_EQ(DecodeIsValidSignatureAnswer({EthCallOutcome::kReturned, Bytes(kErc1271MagicValue.begin(), kErc1271MagicValue.end())}),
            Erc1271Answer::kOtherValue);
  EXPECT_EQ(DecodeIsValidSignatureAnswer({EthCallOutcome::kReturned, Bytes(32, 0)}), Erc1271Answer::kOtherValue);
}

TEST(Erc1271, VerifyAsksTheContractAtThePinnedBlockWithTheEip191Hash) {
  auto wallet = chain::DecodeEthereumAddress("0xFCAd0B19bB29D4674531d6f115237E16AfCE377c");
  ASSERT_TRUE(wallet);
  const Bytes signature = {0xde, 0xad, 0xbe, 0xef};
  const std::string message = "attestation";
  Bytes seen_calldata;
  std::uint64_t seen_block = 0;
  std::array<std::uint8_t, 20> seen_to{};
  EthCallResult answer{EthCallOutcome::kReturned, MagicWord()};
  EthCall node = [&](const std::array<std::uint8_t, 20>& to, const Bytes& calldata, std::uint64_t block) -> Result<EthCallResult> {
    seen_to = to;
    seen_calldata = calldata;
    seen_block = block;
    return answer;
  };
  OwnershipResult result = VerifyErc1271(*wallet, message, "0xdeadbeef", node, 21000000);
  EXPECT_EQ(result.verdict, OwnershipVerdict::kValid) << result.reason;
  EXPECT_TRUE(result.signer_keys.empty());
  EXPECT_EQ(seen_to, wallet->bytes);
  EXPECT_EQ(seen_block, 21000000u);
  EXPECT_EQ(seen_calldata, EncodeIsValidSignatureCall(Eip191MessageHash(message), signature));

  answer = {EthCallOutcome::kReverted, {}};
  EXPECT_EQ(VerifyErc1271(*wallet, message, "0xdeadbeef", node, 1).verdict, OwnershipVerdict::kInvalid);
  answer = {EthCallOutcome::kReturned, Bytes(32, 0)};
  EXPECT_EQ(VerifyErc1271(*wallet, message, "0xdeadbeef", node, 1).verdict, OwnershipVerdict::kInvalid);

  EthCall unreachable = [](const std::array<std::uint8_t, 20>&, const Bytes&, std::uint64_t) -> Result<EthCallResult> {
    return Error{"http://127.0.0.1:1: connection refused"};
  };
  EXPECT_EQ(VerifyErc1271(*wallet, message, "0xdeadbeef", unreachable, 1).verdict, OwnershipVerdict::kCannotCheck);
  EXPECT_EQ(VerifyErc1271(*wallet, message, "0xdeadbeef", EthCall{}, 1).verdict, OwnershipVerdict::kCannotCheck);
  EXPECT_EQ(VerifyErc1271(*wallet, message, "0xdea", node, 1).verdict, OwnershipVerdict::kMalformed);
}

}  // namespace
}  // namespace segverify::chain
