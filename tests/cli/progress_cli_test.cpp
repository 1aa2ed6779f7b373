// Progress of `balances` by addresses read (docs/DESIGN.md §Command line → Progress): on a terminal
// one line rewritten in place with percent and time left; to a file at most one line per 10 %;
// none with --quiet. The node (tests/support/faulty_eth_node.py, "slow") answers every request
// after the pin 30 ms late, so 150 addresses read one per request take a few seconds and the
// progress has time to move.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "tests/support/bitcoin_test_server.h"
#include "tests/support/faulty_eth_node.h"
#include "tests/support/segverify_process.h"
#include "tests/support/test_support.h"

namespace segverify::testing {
namespace {

std::vector<std::string> Addresses() {
  std::vector<std::string> addresses;
  for (int i = 0; i < 150; ++i) addresses.push_back("0x" + std::string(36, '0') + std::to_string(2000 + i));
  return addresses;
}

std::vector<std::string> BalancesArgs(const std::string& url, const TempDir& dir) {
  std::string list;
  for (const auto& a : Addresses()) list += a + "\n";
  WriteFile(dir.File("addresses.txt"), list);
  // --eth-batch 1: one request per address, so the read goes in chunks (clients/quorum.cpp).
  return {"balances", "--chain",     "ethereum", "--source", "ethereum=" + url,  "--height",
          "16",       "--eth-batch", "1",        "--json",   "--addresses-file", dir.File("addresses.txt")};
}

// The percentages of the "ethereum: reading balances N% (d/150)" updates, in order.
std::vector<int> Percents(const std::string& text) {
  std::vector<int> percents;
  const std::regex update(R"(ethereum: reading balances (\d+)% \(\d+/150\))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), update); it != std::sregex_iterator(); ++it) {
    percents.push_back(std::stoi((*it)[1].str()));
  }
  return percents;
}

TEST(BalancesProgress, ToAFileAtMostOneLinePerTenPercent) {
  FaultyEthNode node("slow", 2, 0.01);
  TempDir dir;
  auto run = RunSegverifyProcess(BalancesArgs(node.url(), dir), dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err.find('\r'), std::string::npos) << run.err;
  const auto percents = Percents(run.err);
  ASSERT_GE(percents.size(), 3u) << run.err;  // 0 %, some in between, 100 %
  EXPECT_LE(percents.size(), 11u) << run.err;
  EXPECT_EQ(percents.front(), 0);
  EXPECT_EQ(percents.back(), 100);
  for (std::size_t i = 1; i < percents.size(); ++i) EXPECT_GE(percents[i] / 10, percents[i - 1] / 10 + 1) << run.err;
}

TEST(BalancesProgress, NoneWithQuiet) {
  FaultyEthNode node("none");
  TempDir dir;
  auto args = BalancesArgs(node.url(), dir);
  args.push_back("--quiet");
  auto run = RunSegverifyProcess(args, dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
}

TEST(BalancesProgress, OnATerminalOneLineRewrittenWithTimeLeft) {
  FaultyEthNode node("slow", 2, 0.03);
  TempDir dir;
  ProcessOptions options;
  options.stderr_on_terminal = true;
  auto run = RunSegverifyProcess(BalancesArgs(node.url(), dir), dir, options);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // Every update rewrites the line ("\r" + erase to end of line); no update ends with a newline
  // except the last (the terminal turns "\n" into "\r\n").
  const auto percents = Percents(run.err);
  ASSERT_GE(percents.size(), 3u) << run.err;
  EXPECT_EQ(percents.back(), 100);
  EXPECT_NE(run.err.find("\r\x1b[Kethereum: reading balances "), std::string::npos) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_TRUE(std::regex_search(run.err, std::regex(R"(reading balances \d+% \(\d+/150\), about \d+ s left)")))
      << run.err;
}

// The percentages of "<source>: <method>, Core's scan of ... N%" updates, in order.
std::vector<int> ScanPercents(const std::string& text, const std::string& method) {
  std::vector<int> percents;
  const std::regex update(method + R"(, Core's scan of the [a-zA-Z ]+ (\d+)%)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), update); it != std::sregex_iterator(); ++it) {
    percents.push_back(std::stoi((*it)[1].str()));
  }
  return percents;
}

TEST(BalancesProgress, BitcoinCoresOwnScansShowTheirProgress) {
  // Core answers a scan's start only when the scan is done; meanwhile its `status` says how far it
  // is (tests/support/servers/bitcoin_test_server.py --scan-seconds: the part of the time passed).
  // The tip (scantxoutset) and a past height (scanblocks), one address each: few addresses, and
  // still minutes on mainnet.
  struct Case {
    std::string chain_file, height, method;
  };
  for (const Case& c : {Case{BitcoinTestServer::ChainFile(), "120", "scantxoutset"},
                        Case{BitcoinTestServer::HistoryChainFile(), "200", "scanblocks"}}) {
    SCOPED_TRACE(c.method);
    BitcoinTestServer server({"--scan-seconds", "3.5"}, c.chain_file);
    TempDir dir;
    auto run = RunSegverifyProcess({"balances", "--chain", "bitcoin", "--source", "bitcoin-core=" + server.core_url(),
                                    "--height", c.height, "--json", ChainAddresses(c.chain_file)[0].address},
                                   dir);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const auto percents = ScanPercents(run.err, c.method);
    ASSERT_GE(percents.size(), 3u) << run.err;  // 0 %, at least one poll in between, 100 %
    EXPECT_EQ(percents.front(), 0) << run.err;
    EXPECT_EQ(percents.back(), 100) << run.err;
    EXPECT_TRUE(std::any_of(percents.begin(), percents.end(), [](int p) { return p > 0 && p < 100; })) << run.err;
    EXPECT_TRUE(std::regex_search(run.err, std::regex(R"(\d+%, \d+ s so far)"))) << run.err;
    EXPECT_TRUE(std::regex_search(run.err, std::regex(R"(100%, done in 3 s)"))) << run.err;
    EXPECT_NE(run.err.find("bitcoin source 1 (http://127.0.0.1:"), std::string::npos) << run.err;
    EXPECT_EQ(run.err.find("pass"), std::string::npos) << run.err;  // the URL's credentials
  }
}

}  // namespace
}  // namespace segverify::testing
