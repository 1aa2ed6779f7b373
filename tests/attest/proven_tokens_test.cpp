// ERC-20 balances under proven reads (docs/FORMAT.md "Proven Ethereum reads"): balanceOf must equal
// the holder's entry in the token's balances mapping, proven against the pinned block. The slot is
// configured or found by search (Solidity and Vyper layouts) and written to report.json; a token
// whose balances are not storage words (rebasing) cannot be proven and must say "reads":"agreed".
#include <gtest/gtest.h>

#include "common/json.h"
#include "tests/attest/lying_front.h"
#include "tests/support/faulty_eth_node.h"
#include "tests/support/anvil.h"
#include "tests/support/test_support.h"

namespace segverify::testing {
namespace {

// Mainnet anvil: kFaultTestAddress holds 1 ETH and 5 TOK (6 decimals) of `contract`.
struct TokenChain {
  std::unique_ptr<AnvilNode> node;
  std::string token;
};

TokenChain Deploy(const std::string& contract) {
  AnvilNode::Options options;
  options.chain_id = 1;
  TokenChain chain{std::make_unique<AnvilNode>(options), ""};
  chain.token = chain.node->Deploy(contract);
  chain.node->SetBalance(kFaultTestAddress, "0xde0b6b3a7640000");
  chain.node->SendTransaction(AnvilNode::DevAccount(0), chain.token, "0x0",
                              "40c10f19" + AbiAddressWord(kFaultTestAddress) + AbiUintWord("5000000"));
  chain.node->Mine();
  return chain;
}

// One pool owing 1 ETH and 5 TOK at kFaultTestAddress; `token_extra` is added to the TOK asset.
std::string WriteConfig(const TempDir& dir, const TokenChain& chain, const std::vector<std::string>& urls,
                        const std::string& token_extra = "") {
  WriteFile(dir.File("spot.csv"), "account_id,ETH,TOK\nalice,1,5\n");
  WriteFile(dir.File("config.json"),
            R"({"format":"segverify-attestation/1","id":"tokens-1","message":"Hello World",)"
            R"("assets":[{"symbol":"ETH","decimals":18,"chain":"ethereum"},)"
            R"({"symbol":"TOK","decimals":6,"chain":"ethereum","contract":")" +
                chain.token + "\"" + token_extra + R"(}],"chains":{"ethereum":{"block":)" +
                std::to_string(chain.node->BlockNumber()) + R"(,"sources":)" + EthereumSourcesJson(urls) + "}}," +
                FaultPoolAndFirmJson() + "}");
  return dir.File("config.json");
}

struct Run {
  CommandResult result;
  std::unique_ptr<JsonDocument> report;
  std::string verdict() const { return report ? (*report)["verdict"].GetString() : ""; }
};

Run Attest(const std::string& config, const TempDir& dir) {
  Run run{RunSegverify({"attest", config, "--out", dir.File("out"), "--quiet"}), nullptr};
  if (FileExists(dir.File("out/report.json"))) {
    auto doc = ParseJsonFile(dir.File("out/report.json"));
    if (doc) run.report = std::move(*doc);
  }
  return run;
}

TEST(ProvenTokens, SolidityAndVyperSlotsAreFoundAndReported) {
  for (const auto& [contract, slot, layout] :
       {std::tuple{"TestToken", 1u, "solidity"}, std::tuple{"VyperLayoutToken", 3u, "vyper"}}) {
    SCOPED_TRACE(contract);
    auto chain = Deploy(contract);
    TempDir dir;
    auto run = Attest(WriteConfig(dir, chain, {chain.node->url()}), dir);
    ASSERT_EQ(run.result.exit_code, 0) << run.result.err;
    EXPECT_EQ(run.verdict(), "PASS");
    const auto& found = (*run.report)["chains"]["ethereum"]["balance_slots"]["TOK"];
    EXPECT_EQ(found["slot"].GetUint64(), slot);
    EXPECT_EQ(std::string(found["layout"].GetString()), layout);
  }
}

TEST(ProvenTokens, AConfiguredSlotThatDoesNotHoldTheBalanceIsCouldNotCheck) {
  auto chain = Deploy("TestToken");
  TempDir dir;
  auto run = Attest(WriteConfig(dir, chain, {chain.node->url()}, R"(,"balance_slot":0)"), dir);
  EXPECT_EQ(run.result.exit_code, 2) << run.result.err;
  EXPECT_NE(run.result.err.find("balances entry (slot 0, solidity) proves"), std::string::npos) << run.result.err;
  TempDir right;
  auto good =
      Attest(WriteConfig(right, chain, {chain.node->url()}, R"(,"balance_slot":1,"balance_layout":"solidity")"), right);
  EXPECT_EQ(good.result.exit_code, 0) << good.result.err;
}

TEST(ProvenTokens, ARaisedBalanceOfFromTheOnlySourceNeverPasses) {
  auto chain = Deploy("TestToken");
  LyingFront liar(chain.node->url(), "call");
  TempDir dir;
  auto run = Attest(WriteConfig(dir, chain, {liar.url()}), dir);
  EXPECT_EQ(run.result.exit_code, 2) << run.result.err;
  EXPECT_NE(run.verdict(), "PASS");
}

TEST(ProvenTokens, RebasingTokensAreAgreedReadsOnly) {
  auto chain = Deploy("RebasingToken");
  // balanceOf = shares x 1.1: 5.5 TOK, in no storage word.
  TempDir proven;
  auto refused = Attest(WriteConfig(proven, chain, {chain.node->url()}), proven);
  EXPECT_EQ(refused.result.exit_code, 2) << refused.result.err;
  EXPECT_NE(refused.result.err.find("\"reads\":\"agreed\""), std::string::npos) << refused.result.err;
  TempDir one;
  auto single = Attest(WriteConfig(one, chain, {chain.node->url()}, R"(,"reads":"agreed")"), one);
  EXPECT_EQ(single.result.exit_code, 2) << single.result.err;
  EXPECT_NE(single.result.err.find("a PASS needs at least two independent sources"), std::string::npos);
  TempDir two;
  auto pair = Attest(WriteConfig(two, chain, {chain.node->url(), chain.node->url() + "/"}, R"(,"reads":"agreed")"), two);
  EXPECT_EQ(pair.result.exit_code, 0) << pair.result.err;
  ASSERT_TRUE(pair.report) << pair.result.err;
  const auto& agreed = (*pair.report)["chains"]["ethereum"]["agreed_reads"];
  ASSERT_TRUE(agreed.IsArray());
  EXPECT_NE(JsonToString(agreed).find("TOK balances"), std::string::npos);
}

}  // namespace
}  // namespace segverify::testing
