// How state is asked of an Ethereum node (docs/DESIGN.md §Ethereum): by the pinned block's HASH
// (EIP-1898 {"blockHash":H,"requireCanonical":true}), in batches of the source's "batch" size; a
// node that no longer holds the state ("missing trie node", as geth answers for pruned state) is
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

// The pinned block's hash as the run recorded it (report.json chains.ethereum.block_hash): the
// fault node serves real headers, so the hash is the Keccak of its header, not a number to recompute here.
std::string PinnedHash(const TempDir& dir) {
  auto report = ParseJsonFile(dir.File("out/report.json"));
  if (!report.ok()) return "(no report.json)";
  return (**report)["chains"]["ethereum"]["block_hash"].GetString();
}

TEST(EthereumState, BalancesAreReadByThePinnedHash) {
  TempDir dir;
  FaultyEthNode node("none", 0, 0.5, {"--request-log", dir.File("log")});
  auto run =
      RunSegverifyMeasured({"attest", WriteFaultConfig(dir, node.url()), "--out", dir.File("out"), "--quiet"}, dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string pinned = PinnedHash(dir);
  int reads = 0;
  for (const auto& entry : ReadRequestLog(dir.File("log"))) {
    const std::string method = (*entry)["method"].GetString();
    // Balances come from the account proof (EIP-1186), whose third parameter is the block.
    ASSERT_NE(method, "eth_getBalance") << "a balance read outside the proof";
    if (method != "eth_getProof") continue;
    ++reads;
    const auto& block = (*entry)["params"][2];
    ASSERT_TRUE(block.IsObject()) << "state read by number, not by hash";
    EXPECT_EQ(std::string(block["blockHash"].GetString()), pinned);
    EXPECT_TRUE(block["requireCanonical"].GetBool());
  }
  EXPECT_EQ(reads, 1);  // one account proof serves the balance and the vault rules' code read
}

TEST(EthereumState, PrunedStateSaysAnArchiveNodeIsNeeded) {
  // Blocks and headers are answered; every state read gets geth's "missing trie node".
  FaultyEthNode node("pruned-state");
  TempDir dir;
  auto run =
      RunSegverifyMeasured({"attest", WriteFaultConfig(dir, node.url()), "--out", dir.File("out"), "--quiet"}, dir);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("ethereum source 1 (" + node.url() + ")"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("no longer holds the state of block 16"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("an archive node"), std::string::npos) << run.err;
}

// Evidence lines of the state reads (eth_getProof): single calls, and batches (method "batch").
struct Exchanges {
  int single = 0;
  int batches = 0;
};

Exchanges BalanceExchanges(const std::string& evidence_dir) {
  Exchanges out;
  for (const auto& entry : std::filesystem::directory_iterator(evidence_dir)) {
    for (const auto& line : ReadEvidenceLog(entry.path().string())) {
      const std::string method = (*line)["method"].GetString();
      if (method == "eth_getProof") ++out.single;
      if (method == "batch" && std::string((*line)["params"][0].GetString()) == "eth_getProof") ++out.batches;
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
       // One account proof each serves the balances and the vault rules' code read.
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
