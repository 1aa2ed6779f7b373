// How state is asked of an Ethereum node (docs/DESIGN.md §Ethereum): by the pinned block's HASH
// (EIP-1898 {"blockHash":H,"requireCanonical":true}), in batches of the source's "batch" size; a
// node that no longer holds the state ("header not found", as geth answers for pruned state) is
// could-not-check saying an archive node is needed.
#include <gtest/gtest.h>

#include <filesystem>
#include <tuple>

#include "common/json.h"
#include "tests/support/bitcoin_test_server.h"
#include "tests/support/faulty_eth_node.h"
#include "tests/hostile/measured_run.h"

namespace segverify::testing {
namespace {

// The fault node's hash of block N on its main branch (faulty_eth_node.py block_hash).
std::string FaultNodeBlockHash(int number) {
  auto r = RunProgram("python3", {"-c", "import hashlib;print(hashlib.sha256(b'segverify fault node block A " +
                                            std::to_string(number) + "').hexdigest())"});
  return "0x" + r.out.substr(0, 64);
}

TEST(EthereumState, BalancesAreReadByThePinnedHash) {
  TempDir dir;
  FaultyEthNode node("none", 0, 0.5, {"--request-log", dir.File("log")});
  auto run =
      RunSegverifyMeasured({"attest", WriteFaultConfig(dir, node.url()), "--out", dir.File("out"), "--quiet"}, dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  int reads = 0;
  for (const auto& entry : ReadRequestLog(dir.File("log"))) {
    if (std::string((*entry)["method"].GetString()) != "eth_getBalance") continue;
    ++reads;
    const auto& block = (*entry)["params"][1];
    ASSERT_TRUE(block.IsObject()) << "state read by number, not by hash";
    EXPECT_EQ(std::string(block["blockHash"].GetString()), FaultNodeBlockHash(16));
    EXPECT_TRUE(block["requireCanonical"].GetBool());
  }
  EXPECT_EQ(reads, 1);
}

TEST(EthereumState, PrunedStateSaysAnArchiveNodeIsNeeded) {
  // Answers chain id, the pin and the pin's re-check, then "header not found" for every call.
  FaultyEthNode node("rpc-error", 3);
  TempDir dir;
  auto run =
      RunSegverifyMeasured({"attest", WriteFaultConfig(dir, node.url()), "--out", dir.File("out"), "--quiet"}, dir);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("ethereum source 1 (" + node.url() + ")"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("no longer holds the state of block 16"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("an archive node"), std::string::npos) << run.err;
}

// Evidence lines of the eth_getBalance reads: single calls, and batches (method "batch").
struct Exchanges {
  int single = 0;
  int batches = 0;
};

Exchanges BalanceExchanges(const std::string& evidence_dir) {
  Exchanges out;
  for (const auto& entry : std::filesystem::directory_iterator(evidence_dir)) {
    for (const auto& line : ReadRequestLog(entry.path().string())) {
      const std::string method = (*line)["method"].GetString();
      if (method == "eth_getBalance") ++out.single;
      if (method == "batch" && std::string((*line)["params"][0].GetString()) == "eth_getBalance") ++out.batches;
    }
  }
  return out;
}

TEST(EthereumState, SourceBatchSizeIsHonoured) {
  FaultyEthNode node("none");
  // Three pool addresses (without ownership proofs: FAIL, but every balance is read).
  auto config_with = [&](const TempDir& dir, const std::string& options) {
    WriteFile(dir.File("spot.csv"), "account_id,ETH\nalice,1\n");
    std::string addresses;
    for (const char* a : {"0x0000000000000000000000000000000000001001", "0x0000000000000000000000000000000000001002",
                          "0x0000000000000000000000000000000000001003"}) {
      addresses += std::string(addresses.empty() ? "" : ",") + R"({"chain":"ethereum","address":")" + a + "\"}";
    }
    WriteFile(dir.File("config.json"),
              R"({"format":"segverify-attestation/1","id":"b","message":"m","assets":[{"symbol":"ETH","decimals":18,)"
              R"("chain":"ethereum"}],"chains":{"ethereum":{"block":16,"sources":[{"type":"ethereum","url":")" +
                  node.url() + "\"" + options +
                  R"(}]}},"pools":[{"name":"spot","liabilities":"spot.csv","addresses":[)" + addresses +
                  R"(]}],"firm":{"addresses":[]}})");
    return dir.File("config.json");
  };
  for (const auto& [options, single, batches] :
       {std::tuple<std::string, int, int>{"", 0, 1}, {R"(,"batch":2)", 0, 2}, {R"(,"batch":1)", 3, 0}}) {
    SCOPED_TRACE(options);
    TempDir dir;
    auto run = RunSegverify({"attest", config_with(dir, options), "--out", dir.File("out"), "--quiet"});
    EXPECT_EQ(run.exit_code, 1) << run.err;  // no ownership proofs
    const Exchanges seen = BalanceExchanges(dir.File("out/evidence"));
    EXPECT_EQ(seen.single, single);
    EXPECT_EQ(seen.batches, batches);
  }
}

}  // namespace
}  // namespace segverify::testing
