// Pins verifier/attest/vault_reads.* directly against a real node (anvil, chain id 1; the
// end-to-end vault scenarios are tests/attest/vault_scenarios.cpp): which accounts have code and
// its hash, a contract that is not a Safe read no further than its code, ERC-20 decimals() at the
// pin and the token-decimals finding, and every read agreed across the sources — a source that
// cannot answer makes the read could-not-check, never a guess.
#include "verifier/attest/vault_reads.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/hashes.h"
#include "common/hex.h"
#include "tests/support/anvil.h"
#include "tests/support/test_support.h"
#include "verifier/chain/ethereum_address.h"

namespace segverify::attest {
namespace {

using testing::AnvilNode;

EthAddress Addr(const std::string& hex) {
  auto a = ParseEthAddressHex(hex);
  EXPECT_TRUE(a.has_value()) << hex;
  return a.value_or(EthAddress{});
}

AnvilNode::Options MainnetOptions() {
  AnvilNode::Options options;
  options.chain_id = 1;
  return options;
}

class VaultReads : public ::testing::Test {
 protected:
  void SetUp() override {
    token_ = Addr(node_.Deploy("DecimalsToken", testing::AbiUintWord("6")));
    node_.Mine(1);
    clients::SourceConfig source(clients::SourceType::kEthereum, node_.url(), "", "ethereum source 1");
    auto client = clients::MakeEthereumClient(source, clients::LiveTransports());
    ASSERT_TRUE(client.ok()) << client.error().message;
    pin_.number = node_.BlockNumber();
    auto hash = (*client)->BlockHash(pin_.number);
    ASSERT_TRUE(hash.ok()) << hash.error().message;
    pin_.hash = *hash;
  }

  // A reader over `urls` (each one source), pinned at pin_.
  std::unique_ptr<PinnedStateReader> Reader(const std::vector<std::string>& urls) {
    std::vector<clients::SourceConfig> sources;
    for (std::size_t i = 0; i < urls.size(); ++i) {
      sources.emplace_back(clients::SourceType::kEthereum, urls[i], "", "ethereum source " + std::to_string(i + 1));
    }
    auto reader = PinnedStateReader::Connect(sources, clients::LiveTransports(), pin_);
    EXPECT_TRUE(reader.ok()) << reader.error().message;
    return reader.ok() ? std::move(*reader) : nullptr;
  }

  ConfigAsset TokenAsset(int decimals) const {
    ConfigAsset asset;
    asset.spec.symbol = "TOK";
    asset.spec.decimals = decimals;
    asset.chain = Chain::kEthereum;
    asset.chain_name = "ethereum";
    asset.contract = token_;
    return asset;
  }

  AnvilNode node_{MainnetOptions()};
  EthAddress token_{};
  clients::EthBlockPin pin_;
  const EthAddress eoa_ = Addr(AnvilNode::DevAccount(1));
};

TEST_F(VaultReads, CodesSayWhichAccountsAreContractsAndHashTheirCode) {
  auto reader = Reader({node_.url(), node_.url()});
  ASSERT_NE(reader, nullptr);
  auto codes = reader->Codes({eoa_, token_});
  ASSERT_TRUE(codes.ok()) << codes.error().message;
  ASSERT_EQ(codes->size(), 2u);
  EXPECT_FALSE((*codes)[0].has_code);
  // keccak256 of empty code, as every Ethereum client reports an EOA's code hash.
  EXPECT_EQ(ToHex((*codes)[0].hash), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  EXPECT_TRUE((*codes)[1].has_code);
  const std::string code = node_.Rpc("eth_getCode", "[\"0x" + ToHex(token_) + "\",\"latest\"]");
  auto bytes = FromHex(code.substr(3, code.size() - 4));  // "\"0x…\""
  ASSERT_TRUE(bytes.has_value()) << code;
  EXPECT_EQ((*codes)[1].hash, Keccak256(*bytes));
}

TEST_F(VaultReads, AContractThatIsNotASafeIsReadNoFurtherThanItsCode) {
  auto reader = Reader({node_.url()});
  ASSERT_NE(reader, nullptr);
  const AccountReads reads = ReadAccounts(*reader, {eoa_, token_, eoa_});
  EXPECT_TRUE(reads.problems.empty()) << reads.problems[0].line;
  EXPECT_EQ(reads.codes.size(), 2u) << "each account once";
  ASSERT_EQ(reads.contracts.size(), 1u);
  const ContractFacts& facts = reads.contracts.at(token_);
  EXPECT_EQ(facts.code_hash, reads.codes.at(token_).hash);
  EXPECT_FALSE(facts.singleton.has_value()) << "not a SafeProxy: no slot is read";
  EXPECT_FALSE(facts.policy.has_value());
}

TEST_F(VaultReads, TokenDecimalsAreReadAtThePinAndComparedWithTheConfig) {
  auto reader = Reader({node_.url(), node_.url()});
  ASSERT_NE(reader, nullptr);
  auto decimals = reader->TokenDecimals(token_);
  ASSERT_TRUE(decimals.ok()) << decimals.error().message;
  EXPECT_EQ(*decimals, 6);

  std::vector<report::Finding> findings;
  std::vector<Problem> problems;
  CheckTokenDecimals(*reader, {TokenAsset(6)}, pin_.number, findings, problems);
  EXPECT_TRUE(findings.empty());
  EXPECT_TRUE(problems.empty());
  CheckTokenDecimals(*reader, {TokenAsset(18)}, pin_.number, findings, problems);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].check, report::Check::kTokenDecimals);
  EXPECT_EQ(findings[0].severity, report::Severity::kError);
  EXPECT_TRUE(problems.empty());
}

TEST_F(VaultReads, AnAccountWithoutDecimalsIsCouldNotCheckNotAFinding) {
  auto reader = Reader({node_.url()});
  ASSERT_NE(reader, nullptr);
  ConfigAsset not_a_token = TokenAsset(6);
  not_a_token.contract = eoa_;
  std::vector<report::Finding> findings;
  std::vector<Problem> problems;
  CheckTokenDecimals(*reader, {not_a_token}, pin_.number, findings, problems);
  EXPECT_TRUE(findings.empty());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].asset, "TOK");
  EXPECT_EQ(problems[0].subject, chain::ToEip55(eoa_));
  EXPECT_NE(problems[0].line.find("cannot read decimals()"), std::string::npos) << problems[0].line;
}

TEST_F(VaultReads, ASourceThatCannotAnswerMakesEveryReadCouldNotCheck) {
  auto reader = Reader({node_.url(), "http://127.0.0.1:9"});
  ASSERT_NE(reader, nullptr);
  const AccountReads reads = ReadAccounts(*reader, {eoa_, token_});
  EXPECT_TRUE(reads.codes.empty());
  EXPECT_TRUE(reads.contracts.empty());
  ASSERT_EQ(reads.problems.size(), 1u);
  EXPECT_FALSE(reader->TokenDecimals(token_).ok());
}

}  // namespace
}  // namespace segverify::attest
