// `segverify balances` end to end, as a user runs it: exit codes 0/1/2, the --json shape, and
// that secrets never reach the output. Nodes are real anvil instances and the Bitcoin test server.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "tests/support/bitcoin_test_server.h"
#include "tests/support/anvil.h"
#include "tests/support/test_support.h"

namespace segverify::testing {
namespace {

// A digits-only address: its EIP-55 form equals its lower-case form.
constexpr const char* kHolder = "0x0000000000000000000000000000000000001001";

std::string BlockHashOf(AnvilNode& node, std::uint64_t number) {
  auto block = ParseJson(node.Rpc("eth_getBlockByNumber", "[\"0x" + std::to_string(number) + "\",false]"), "block");
  return (**block)["hash"].GetString();
}

TEST(BalancesCli, EthereumJsonShapeWithToken) {
  AnvilNode node;
  node.SendTransaction(AnvilNode::DevAccount(0), kHolder, "0x4563918244f40000", "");  // 5 ETH
  const std::string token = node.Deploy("TestToken");
  node.SendTransaction(AnvilNode::DevAccount(0), token, "",
                       "40c10f19" + AbiAddressWord(kHolder) + AbiUintWord("42"));  // mint 42 base units
  const std::uint64_t height = node.BlockNumber();
  ASSERT_LT(height, 10u);  // keeps "0x" + decimal digits a valid QUANTITY in BlockHashOf
  auto r = RunSegverify({"balances", "--chain", "ethereum", "--source", "ethereum=" + node.url(), "--height",
                         std::to_string(height), "--chain-id", "31337", "--asset", "ETH:18", "--asset",
                         "TOK:6:" + token, "--json", kHolder});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "{\"chain\":\"ethereum\",\"height\":" + std::to_string(height) + ",\"block_hash\":\"" +
                       BlockHashOf(node, height) + "\",\"balances\":[{\"address\":\"" + kHolder +
                       "\",\"asset\":\"ETH\",\"amount\":\"5\"},{\"address\":\"" + kHolder +
                       "\",\"asset\":\"TOK\",\"amount\":\"0.000042\"}]}\n");
}

TEST(BalancesCli, AddressesFromAFileWithProgressOnStderr) {
  AnvilNode node;
  TempDir dir;
  std::string list;
  for (int i = 0; i < 150; ++i) list += "0x" + std::string(36, '0') + std::to_string(2000 + i) + "\n";
  WriteFile(dir.File("addresses.txt"), list);
  auto r = RunSegverify({"balances", "--chain", "ethereum", "--source", "ethereum=" + node.url(), "--height", "0",
                         "--chain-id", "31337", "--json", "--addresses-file", dir.File("addresses.txt")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = ParseJson(r.out, "stdout");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  ASSERT_EQ((**doc)["balances"].Size(), 150u);
  EXPECT_STREQ((**doc)["balances"][149]["address"].GetString(), "0x0000000000000000000000000000000000002149");
  EXPECT_STREQ((**doc)["balances"][149]["amount"].GetString(), "0");
  // Progress by addresses read (stderr is a pipe here: sparse lines, the last one complete).
  EXPECT_NE(r.err.find("ethereum: reading balances 100% (150/150)"), std::string::npos) << r.err;
}

TEST(BalancesCli, EthereumCannotCheckIsExit2) {
  AnvilNode node;
  auto wrong_chain = RunSegverify({"balances", "--chain", "ethereum", "--source", "ethereum=" + node.url(), "--height",
                                   "0", kHolder});
  EXPECT_EQ(wrong_chain.exit_code, 2);
  EXPECT_NE(wrong_chain.err.find("chain id is 31337, expected 1"), std::string::npos) << wrong_chain.err;
  auto future = RunSegverify({"balances", "--chain", "ethereum", "--source", "ethereum=" + node.url(), "--height",
                              "99", "--chain-id", "31337", kHolder});
  EXPECT_EQ(future.exit_code, 2);
  EXPECT_NE(future.err.find("block 99 does not exist yet"), std::string::npos) << future.err;
  const std::string url = node.url();
  node.Kill();
  auto down = RunSegverify({"balances", "--chain", "ethereum", "--source", "ethereum=" + url, "--height", "0",
                            "--chain-id", "31337", kHolder});
  EXPECT_EQ(down.exit_code, 2);
  EXPECT_NE(down.err.find(url), std::string::npos) << down.err;
  EXPECT_TRUE(down.out.empty());
}

TEST(BalancesCli, DisagreeingNodesAreExit1WithAFinding) {
  AnvilNode a, b;
  a.SetBalance(kHolder, "0x1");
  a.Mine();
  b.Mine();
  auto r = RunSegverify({"balances", "--chain", "ethereum", "--source", "ethereum=" + a.url(), "--source",
                         "ethereum=" + b.url(), "--height", "1", "--chain-id", "31337", kHolder});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("finding: sources-disagree: sources disagree on block 1"), std::string::npos) << r.out;
}

TEST(BalancesCli, BadInputIsExit2) {
  const std::vector<std::vector<std::string>> cases = {
      {"balances", "--chain", "ethereum", "--source", "ethereum=http://127.0.0.1:1", "--height", "0",
       "0x00000000000000000000000000000000000010"},  // too short
      {"balances", "--chain", "ethereum", "--source", "ethereum=http://127.0.0.1:1", "--height", "0",
       "0xAb5801a7D398351b8bE11C439e05C5B3259aeC9C"},  // EIP-55 checksum wrong
      {"balances", "--chain", "bitcoin", "--source", "ethereum=http://127.0.0.1:1", "--height", "0",
       "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"},  // source type for another chain
      {"balances", "--chain", "dogecoin", "--source", "esplora=http://127.0.0.1:1", "--height", "0", "x"},
      {"balances", "--chain", "bitcoin", "--source", "esplora=http://127.0.0.1:1", "--height", "0", "--asset",
       "BTC:8:0x0000000000000000000000000000000000001001", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"},
      {"balances", "--chain", "bitcoin", "--source", "esplora=http://127.0.0.1:1", "--height", "0",
       "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx"},  // testnet address
      {"balances", "--chain", "bitcoin", "--source", "esplora=http://127.0.0.1:1", "--height", "0"},  // no address
  };
  for (const auto& args : cases) {
    auto r = RunSegverify(args);
    EXPECT_EQ(r.exit_code, 2) << args.back() << ": " << r.err;
    EXPECT_FALSE(r.err.empty());
  }
}

std::vector<std::string> BitcoinArgs(const std::string& core_url, const std::string& esplora_url,
                                     const std::string& height) {
  std::vector<std::string> args = {"balances", "--chain", "bitcoin", "--source", "bitcoin-core=" + core_url,
                                   "--source", "esplora=" + esplora_url, "--height", height, "--json"};
  for (const auto& a : ChainAddresses()) args.push_back(a.address);
  return args;
}

TEST(BalancesCli, BitcoinAgreementJsonAndAuthFromEnvironment) {
  BitcoinTestServer server({"--auth", "auditor:env-secret"});
  ::setenv("SEGVERIFY_RPC_AUTH", "auditor:env-secret", 1);
  auto r = RunSegverify(BitcoinArgs(server.url(), server.url(), "120"));
  ::unsetenv("SEGVERIFY_RPC_AUTH");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Amounts in BTC from the chain file's hand-computed satoshis: 60000000, 39990000, 20042345, 5029980000.
  auto addresses = ChainAddresses();
  const char* amounts[] = {"0.6", "0.3999", "0.20042345", "50.2998"};
  std::string expected_balances;
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    if (i) expected_balances += ",";
    expected_balances += "{\"address\":\"" + addresses[i].address + "\",\"asset\":\"BTC\",\"amount\":\"" + amounts[i] + "\"}";
  }
  auto block = RunProgram("python3", {"-c", "import hashlib;print(hashlib.sha256(b'segverify test block 120').hexdigest())"});
  EXPECT_EQ(r.out, "{\"chain\":\"bitcoin\",\"height\":120,\"block_hash\":\"" + block.out.substr(0, 64) +
                       "\",\"balances\":[" + expected_balances + "]}\n");
  EXPECT_EQ(r.out.find("env-secret"), std::string::npos);
  EXPECT_EQ(r.err.find("env-secret"), std::string::npos);
}

TEST(BalancesCli, BitcoinNoFilterIndexWrongAuthAndDisagreement) {
  BitcoinTestServer server;
  BitcoinTestServer no_index({"--no-blockfilterindex"});  // tip 120: height 100 needs the block filters
  auto moved = RunSegverify(BitcoinArgs(no_index.core_url(), server.url(), "100"));
  EXPECT_EQ(moved.exit_code, 2);
  EXPECT_NE(moved.err.find("-blockfilterindex=1"), std::string::npos) << moved.err;

  auto wrong = RunSegverify(BitcoinArgs("http://user:not-the-password@" + server.url().substr(7), server.url(), "120"));
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("authentication failed"), std::string::npos) << wrong.err;
  EXPECT_EQ(wrong.err.find("not-the-password"), std::string::npos) << wrong.err;

  BitcoinTestServer hiding({"--hide-tx", "4"});
  auto disagree = RunSegverify(BitcoinArgs(server.core_url(), hiding.url(), "120"));
  EXPECT_EQ(disagree.exit_code, 1) << disagree.err;
  EXPECT_NE(disagree.out.find("\"check\":\"sources-disagree\""), std::string::npos) << disagree.out;
}

TEST(BalancesCli, EvidenceReplaysOfflineToTheSameOutput) {
  TempDir dir;
  std::vector<std::string> live_args, replay_args;
  CommandResult live;
  {
    BitcoinTestServer server;
    live_args = BitcoinArgs(server.core_url(), server.url(), "120");
    replay_args = live_args;
    live_args.insert(live_args.begin() + 1, {"--evidence", dir.File("evidence")});
    replay_args.insert(replay_args.begin() + 1, {"--replay", dir.File("evidence")});
    live = RunSegverify(live_args);
    ASSERT_EQ(live.exit_code, 0) << live.err;
  }
  auto replayed = RunSegverify(replay_args);
  EXPECT_EQ(replayed.exit_code, 0) << replayed.err;
  EXPECT_EQ(replayed.out, live.out);
}

}  // namespace
}  // namespace segverify::testing
