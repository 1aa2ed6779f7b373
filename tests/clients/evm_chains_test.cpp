// EVM mainnets besides Ethereum (docs/DESIGN.md §Ethereum): a chain configured by name with
// "type":"evm" and a mainnet chain id, its assets and addresses naming it. Real anvil nodes started
// with those chain ids stand in for the networks. The same address holding coins on two chains is
// two balances, each counted for its own chain's asset.
#include <gtest/gtest.h>

#include "common/json.h"
#include "tests/support/faulty_eth_node.h"
#include "tests/support/anvil.h"
#include "tests/support/test_support.h"

namespace segverify::testing {
namespace {

constexpr const char* kOneEtherHex = "0xde0b6b3a7640000";  // 1e18 wei
constexpr const char* kTwoEtherHex = "0x1bc16d674ec80000";

struct Chain {
  std::string name;
  std::string json;  // the "chains" entry
};

// One pool holding kFaultTestAddress (the EIP-191 fixture's "Hello World" signer) on every given
// chain, with liabilities of 1 of each chain's native asset.
std::string WriteConfig(const TempDir& dir, const std::vector<Chain>& chains) {
  std::string assets, entries, addresses, header = "account_id", row = "alice";
  for (const auto& c : chains) {
    const std::string symbol = c.name == "ethereum" ? "ETH" : "ETH-" + c.name;
    assets += std::string(assets.empty() ? "" : ",") + R"({"symbol":")" + symbol + R"(","decimals":18,"chain":")" +
              c.name + R"("})";
    entries += std::string(entries.empty() ? "" : ",") + "\"" + c.name + "\":" + c.json;
    addresses += std::string(addresses.empty() ? "" : ",") + R"({"chain":")" + c.name + R"(","address":")" +
                 kFaultTestAddress + R"(","proof":{"type":"eip191","signature":")" +
                 HelloWorldSignature(kFaultTestAddress) + R"("}})";
    header += "," + symbol;
    row += ",1";
  }
  WriteFile(dir.File("spot.csv"), header + "\n" + row + "\n");
  WriteFile(dir.File("config.json"), R"({"format":"segverify-attestation/1","id":"evm-1","message":"Hello World",)"
                                     R"("assets":[)" +
                                         assets + R"(],"chains":{)" + entries +
                                         R"(},"pools":[{"name":"spot","liabilities":"spot.csv","addresses":[)" +
                                         addresses + R"(]}],"firm":{"addresses":[]}})");
  return dir.File("config.json");
}

std::string ChainJson(const std::string& type_and_id, std::uint64_t block, const std::string& url) {
  return "{" + type_and_id + (type_and_id.empty() ? "" : ",") + R"("block":)" + std::to_string(block) +
         R"(,"sources":[{"type":"ethereum","url":")" + url + R"("}]})";
}

// A node with chain id `chain_id` where kFaultTestAddress holds `wei_hex`, mined once: block 1.
std::unique_ptr<AnvilNode> FundedNode(std::uint64_t chain_id, const std::string& wei_hex) {
  AnvilNode::Options options;
  options.chain_id = chain_id;
  auto node = std::make_unique<AnvilNode>(options);
  node->SetBalance(kFaultTestAddress, wei_hex);
  node->Mine();
  return node;
}

TEST(EvmChains, ArbitrumBesideEthereumPasses) {
  auto ethereum = FundedNode(1, kOneEtherHex);
  auto arbitrum = FundedNode(42161, kTwoEtherHex);
  TempDir dir;
  const std::string config =
      WriteConfig(dir, {{"ethereum", ChainJson("", 1, ethereum->url())},
                        {"arbitrum", ChainJson(R"("type":"evm","chain_id":42161)", 1, arbitrum->url())}});
  auto run = RunSegverify({"attest", config, "--out", dir.File("out"), "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  auto report = ParseJsonFile(dir.File("out/report.json"));
  ASSERT_TRUE(report.ok());
  const auto& chains = (**report)["chains"];
  ASSERT_TRUE(chains.HasMember("arbitrum"));
  EXPECT_EQ(std::string(chains["arbitrum"]["sources"][0].GetString()), arbitrum->url());
  // The same address, one balance per chain, each from its own node.
  const auto& addresses = (**report)["pools"][0]["addresses"];
  ASSERT_EQ(addresses.Size(), 2u);
  EXPECT_EQ(std::string(addresses[1]["chain"].GetString()), "arbitrum");
  ASSERT_TRUE(addresses[0]["balances"].HasMember("ETH") && addresses[1]["balances"].HasMember("ETH-arbitrum"));
  EXPECT_EQ(std::string(addresses[0]["balances"]["ETH"].GetString()), "1");
  EXPECT_EQ(std::string(addresses[1]["balances"]["ETH-arbitrum"].GetString()), "2");
  EXPECT_FALSE(addresses[0]["balances"].HasMember("ETH-arbitrum"));
  // block_time is the pinned header's timestamp, as the node reports it.
  auto block = ParseJson(arbitrum->Rpc("eth_getBlockByNumber", R"(["0x1",false])"), "block");
  auto iso = RunProgram("python3", {"-c",
                                    "import datetime,sys;print(datetime.datetime.fromtimestamp(int(sys.argv[1],16),"
                                    "datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'))",
                                    (**block)["timestamp"].GetString()});
  EXPECT_EQ(std::string(chains["arbitrum"]["block_time"].GetString()) + "\n", iso.out);
}

TEST(EvmChains, ANodeOnAnotherChainIsRefused) {
  auto node = FundedNode(31337, kOneEtherHex);
  TempDir dir;
  auto run = RunSegverify(
      {"attest", WriteConfig(dir, {{"arbitrum", ChainJson(R"("type":"evm","chain_id":42161)", 1, node->url())}}),
       "--out", dir.File("out"), "--quiet"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("chain id is 31337, expected 42161"), std::string::npos) << run.err;
}

TEST(EvmChains, TestnetOrUnknownChainsAreConfigErrors) {
  const std::string url = "http://127.0.0.1:1";
  const std::vector<std::pair<Chain, std::string>> cases = {
      // Arbitrum Sepolia and Ethereum Sepolia are testnets (ethereum-lists/chains eip155-421614, -11155111).
      {{"arbitrum", ChainJson(R"("type":"evm","chain_id":421614)", 1, url)},
       "chains.arbitrum.chain_id: 421614 is not a known EVM mainnet"},
      {{"ethereum", ChainJson(R"("type":"evm","chain_id":11155111)", 1, url)},
       "chains.ethereum.chain_id: 11155111 is not a known EVM mainnet"},
      {{"ethereum", ChainJson(R"("chain_id":10)", 1, url)}, "chains.ethereum.chain_id: the chain named ethereum is"},
      {{"arbitrum", ChainJson("", 1, url)}, "chains.arbitrum: unknown chain \"arbitrum\""},
      {{"arbitrum", ChainJson(R"("type":"solana","chain_id":42161)", 1, url)},
       "chains.arbitrum.type: unknown chain type"},
      {{"Arb", ChainJson(R"("type":"evm","chain_id":42161)", 1, url)}, "chains.Arb: chain names are"},
  };
  for (const auto& [chain, expected] : cases) {
    SCOPED_TRACE(expected);
    TempDir dir;
    auto run = RunSegverify({"attest", WriteConfig(dir, {chain}), "--out", dir.File("out"), "--quiet"});
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.err.find(expected), std::string::npos) << run.err;
    EXPECT_FALSE(FileExists(dir.File("out/report.json"))) << "a config error must not produce a report";
  }
  TempDir dir;
  auto twice = RunSegverify({"attest",
                             WriteConfig(dir, {{"ethereum", ChainJson("", 1, url)},
                                               {"mainnet2", ChainJson(R"("type":"evm","chain_id":1)", 1, url)}}),
                             "--out", dir.File("out"), "--quiet"});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.err.find("chain id 1 is configured twice"), std::string::npos) << twice.err;
}

}  // namespace
}  // namespace segverify::testing
