// Bitcoin balances at a past height (docs/DESIGN.md §Bitcoin history) against
// the loopback test server over tests/support/servers/bitcoin_chain_history.json: pin 200, tip 260, with
// deposits to and spends from every address after the pin, so a client that read the tip (or
// stopped paging early) gets other amounts than the chain file's hand-computed ones at 200.
// Also: Bitcoin Core's long scans — started once, never aborted, polled with `status`.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "clients/bitcoin_core_client.h"
#include "clients/quorum.h"
#include "tests/support/bitcoin_test_server.h"

namespace segverify::clients {
namespace {

using testing::BitcoinTestServer;
using testing::ChainAddresses;
using testing::CountRpcCalls;
using testing::ExpectedSatoshis;
using testing::TempDir;

const std::string kHistory = BitcoinTestServer::HistoryChainFile();

BalanceQuery HistoryQuery(std::uint64_t height) {
  BalanceQuery q;
  q.chain = Chain::kBitcoin;
  q.height = height;
  for (const auto& a : ChainAddresses(kHistory)) q.addresses.push_back({a.address, a.script_pubkey});
  q.assets.push_back({"BTC", std::nullopt});
  return q;
}

SourceConfig Core(const BitcoinTestServer& server) {
  return {SourceType::kBitcoinCore, server.core_url(), "", "bitcoin source 1"};
}

SourceConfig Esplora(const BitcoinTestServer& server) {
  return {SourceType::kEsplora, server.url(), "", "bitcoin source 2"};
}

void ExpectHandComputed(const Result<ChainBalances>& result, const std::string& height) {
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_TRUE(result->disagreements.empty());
  const auto addresses = ChainAddresses(kHistory);
  ASSERT_EQ(result->balances.size(), addresses.size());
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    EXPECT_EQ(U128ToDecimal(result->balances[i].amount),
              std::to_string(ExpectedSatoshis(height, addresses[i].name, kHistory)))
        << addresses[i].name << " at " << height;
  }
}

// sha256("segverify history block <h>"): the history chain's block ids (bitcoin_test_server.py).
std::string HistoryBlockHash(int height) {
  auto r = testing::RunProgram("python3", {"-c", "import hashlib;print(hashlib.sha256(b'segverify history block " +
                                                     std::to_string(height) + "').hexdigest())"});
  return r.out.substr(0, 64);
}

TEST(CoreAtPastHeight, BalancesFromBlockFiltersAndDescriptorActivity) {
  TempDir dir;
  BitcoinTestServer server({"--request-log", dir.File("log")}, kHistory);
  ExpectHandComputed(ReadChainBalances(HistoryQuery(200), {Core(server)}, LiveTransports()), "200");
  EXPECT_EQ(CountRpcCalls(dir.File("log"), "scanblocks", "start"), 1);
  EXPECT_GE(CountRpcCalls(dir.File("log"), "getdescriptoractivity"), 1);
  EXPECT_EQ(CountRpcCalls(dir.File("log"), "getblock"), 0);
  EXPECT_EQ(CountRpcCalls(dir.File("log"), "scantxoutset"), 0) << "scantxoutset only sees the tip (260)";
}

TEST(CoreAtPastHeight, FallsBackToGetblockOnCoreBefore29) {
  TempDir dir;
  BitcoinTestServer server({"--no-descriptoractivity", "--request-log", dir.File("log")}, kHistory);
  ExpectHandComputed(ReadChainBalances(HistoryQuery(200), {Core(server)}, LiveTransports()), "200");
  EXPECT_EQ(CountRpcCalls(dir.File("log"), "getdescriptoractivity"), 1);  // "Method not found", once
  EXPECT_GE(CountRpcCalls(dir.File("log"), "getblock"), 1);
}

TEST(CoreAtPastHeight, FalsePositiveFilterBlocksChangeNothing) {
  for (const char* activity : {"", "--no-descriptoractivity"}) {
    SCOPED_TRACE(activity);
    TempDir dir;
    std::vector<std::string> flags = {"--false-positive-blocks", "160,199", "--request-log", dir.File("log")};
    if (*activity) flags.push_back(activity);
    BitcoinTestServer server(flags, kHistory);
    ExpectHandComputed(ReadChainBalances(HistoryQuery(200), {Core(server)}, LiveTransports()), "200");
    // The two blocks the filters matched by chance were read, and counted for nothing.
    const std::string log = testing::ReadFile(dir.File("log"));
    EXPECT_NE(log.find(HistoryBlockHash(160)), std::string::npos);
    EXPECT_NE(log.find(HistoryBlockHash(199)), std::string::npos);
  }
}

TEST(CoreAtPastHeight, MissingIndexSaysBlockfilterindexIsNeeded) {
  BitcoinTestServer server({"--no-blockfilterindex"}, kHistory);
  auto result = ReadChainBalances(HistoryQuery(200), {Core(server)}, LiveTransports());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("-blockfilterindex=1"), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find("bitcoin source 1 (" + server.url() + ")"), std::string::npos)
      << result.error().message;
}

TEST(CoreAtPastHeight, AFilterIndexBelowThePinIsCouldNotCheckNamingBothHeights) {
  // The index has reached 150 only: Core's scanblocks would skip 151..200 and still answer
  // completed, so the spends there (bitcoin_chain_history.json) would go unseen.
  TempDir dir;
  BitcoinTestServer server({"--index-height", "150", "--request-log", dir.File("log")}, kHistory);
  auto result = ReadChainBalances(HistoryQuery(200), {Core(server)}, LiveTransports());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("reached height 150 only, below the pinned height 200"), std::string::npos)
      << result.error().message;
  EXPECT_EQ(CountRpcCalls(dir.File("log"), "getindexinfo"), 1);
  EXPECT_EQ(CountRpcCalls(dir.File("log"), "scanblocks"), 0);
}

TEST(CoreAtPastHeight, AFilterIndexAtThePinIsEnough) {
  BitcoinTestServer server({"--index-height", "200"}, kHistory);
  ExpectHandComputed(ReadChainBalances(HistoryQuery(200), {Core(server)}, LiveTransports()), "200");
}

TEST(CoreAtPastHeight, CoreJsonRpc2AnswersAreReadAlike) {
  // Core >= 28 answers "jsonrpc":"2.0" requests with HTTP 200 and no "result" on errors: the
  // missing index, "Method not found" and "Block height out of range" must still be recognised.
  BitcoinTestServer v2({"--jsonrpc-v2", "--no-descriptoractivity"}, kHistory);
  ExpectHandComputed(ReadChainBalances(HistoryQuery(200), {Core(v2)}, LiveTransports()), "200");
  BitcoinTestServer v2_no_index({"--jsonrpc-v2", "--no-blockfilterindex"}, kHistory);
  auto no_index = ReadChainBalances(HistoryQuery(200), {Core(v2_no_index)}, LiveTransports());
  ASSERT_FALSE(no_index.ok());
  EXPECT_NE(no_index.error().message.find("-blockfilterindex=1"), std::string::npos) << no_index.error().message;
  auto future = ReadChainBalances(HistoryQuery(300), {Core(v2)}, LiveTransports());
  ASSERT_FALSE(future.ok());
  EXPECT_NE(future.error().message.find("block 300 does not exist yet"), std::string::npos) << future.error().message;
}

TEST(CoreAtPastHeight, CoreAndEsploraAgreeAtThePin) {
  BitcoinTestServer server({}, kHistory);
  auto result = ReadChainBalances(HistoryQuery(200), {Core(server), Esplora(server)}, LiveTransports());
  ExpectHandComputed(result, "200");
  // Header time of block 200 in the test chain: 1700000000 + 600 * 200 (bitcoin_test_server.py).
  EXPECT_EQ(result->block_time, std::optional<std::uint64_t>(1700120000));
}

TEST(CoreAtTip, ScantxoutsetAtThePinnedTip) {
  TempDir dir;
  BitcoinTestServer server({"--request-log", dir.File("log")}, kHistory);
  ExpectHandComputed(ReadChainBalances(HistoryQuery(260), {Core(server), Esplora(server)}, LiveTransports()), "260");
  EXPECT_EQ(CountRpcCalls(dir.File("log"), "scantxoutset", "start"), 1);
  EXPECT_EQ(CountRpcCalls(dir.File("log"), "scanblocks"), 0);
}

TEST(EsploraPaging, TenPerPageReadsToTheEmptyPage) {
  // p2wpkh has 43 transactions up to the pin and 65 in all: with 10 per page the client must read
  // 7 pages and the empty 8th, never stopping at a page shorter than Blockstream's 25.
  TempDir dir;
  BitcoinTestServer server({"--page-size", "10", "--request-log", dir.File("log")}, kHistory);
  for (std::uint64_t height : {std::uint64_t{200}, std::uint64_t{260}}) {
    ExpectHandComputed(ReadChainBalances(HistoryQuery(height), {Esplora(server)}, LiveTransports()),
                       std::to_string(height));
  }
  const std::string p2wpkh = ChainAddresses(kHistory)[0].address;
  int pages = 0;
  for (const auto& entry : testing::ReadRequestLog(dir.File("log"))) {
    const std::string path = (*entry)["path"].GetString();
    if (path.rfind("/address/" + p2wpkh + "/txs/chain", 0) == 0) ++pages;
  }
  EXPECT_EQ(pages, 2 * 8);  // two reads, 8 pages each
}

TEST(EsploraPaging, APageRepeatingATxidIsASourceError) {
  BitcoinTestServer server({"--page-size", "10", "--repeat-txids"}, kHistory);
  auto result = ReadChainBalances(HistoryQuery(200), {Esplora(server)}, LiveTransports());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("repeated"), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find(server.url()), std::string::npos) << result.error().message;
}

TEST(EsploraInputs, AnInputWithoutPrevoutThatIsNoCoinbaseFailsTheSource) {
  // Without the prevout, a spend from the address cannot be seen: counting the input as a
  // coinbase (spending nothing) would count spent coins. Coinbase inputs (is_coinbase true,
  // prevout null) are still read.
  BitcoinTestServer server({"--no-prevout"}, kHistory);
  auto result = ReadChainBalances(HistoryQuery(200), {Esplora(server)}, LiveTransports());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("is not a coinbase has no prevout"), std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().message.find(server.url()), std::string::npos) << result.error().message;
}

// A Core source whose every request (and so every scan) has `deadline`.
SourceConfig CoreWithDeadline(const BitcoinTestServer& server, std::chrono::milliseconds deadline) {
  SourceConfig config = Core(server);
  config.timeout = deadline;
  return config;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(CoreScan, SomeoneElsesScanIsWaitedOutNeverAbortedAndStartIsSentOnce) {
  TempDir dir;
  // A scan started by someone else runs for 30 s; our deadline is 1.5 s.
  BitcoinTestServer server({"--scan-in-progress", "--scan-seconds", "30", "--request-log", dir.File("log")}, kHistory);
  const auto start = std::chrono::steady_clock::now();
  auto result = ReadChainBalances(HistoryQuery(260), {CoreWithDeadline(server, std::chrono::milliseconds(1500))},
                                  LiveTransports());
  ASSERT_FALSE(result.ok());
  EXPECT_LT(SecondsSince(start), 1.5 + 3.0);
  EXPECT_NE(result.error().message.find("already running"), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find("still running"), std::string::npos) << result.error().message;
  EXPECT_EQ(CountRpcCalls(dir.File("log"), "scantxoutset", "start"), 1);
  EXPECT_GE(CountRpcCalls(dir.File("log"), "scantxoutset", "status"), 2);
  EXPECT_EQ(CountRpcCalls(dir.File("log"), "scantxoutset", "abort"), 0);
}

TEST(CoreScan, SomeoneElsesScanThatEndsIsFollowedByThisRunsScanOnce) {
  // Someone else's scan ends after 1 s, within our 10 s: this run then sends its own start once
  // (the refused one and ours: two in all) and reads the balances, never aborting.
  TempDir dir;
  BitcoinTestServer server({"--scan-in-progress", "--scan-seconds", "1", "--request-log", dir.File("log")}, kHistory);
  ExpectHandComputed(
      ReadChainBalances(HistoryQuery(260), {CoreWithDeadline(server, std::chrono::seconds(10))}, LiveTransports()),
      "260");
  EXPECT_EQ(CountRpcCalls(dir.File("log"), "scantxoutset", "start"), 2);
  EXPECT_GE(CountRpcCalls(dir.File("log"), "scantxoutset", "status"), 1);
  EXPECT_EQ(CountRpcCalls(dir.File("log"), "scantxoutset", "abort"), 0);
}

TEST(CoreScan, OurScanPastTheDeadlineIsNotSentAgain) {
  TempDir dir;
  BitcoinTestServer server({"--scan-seconds", "5", "--request-log", dir.File("log")}, kHistory);
  const auto start = std::chrono::steady_clock::now();
  auto result =
      ReadChainBalances(HistoryQuery(260), {CoreWithDeadline(server, std::chrono::seconds(1))}, LiveTransports());
  ASSERT_FALSE(result.ok());
  EXPECT_LT(SecondsSince(start), 1.0 + 3.0);
  EXPECT_NE(result.error().message.find("deadline"), std::string::npos) << result.error().message;
  EXPECT_EQ(CountRpcCalls(dir.File("log"), "scantxoutset", "start"), 1);
  EXPECT_GE(CountRpcCalls(dir.File("log"), "scantxoutset", "status"), 1);
  EXPECT_EQ(CountRpcCalls(dir.File("log"), "scantxoutset", "abort"), 0);
}

TEST(CoreScan, ASilentScanWithinTheDeadlineIsNotAStall) {
  // Core sends nothing until a scan is done: the stall limit (here 0.3 s) must not end it.
  BitcoinTestServer server({"--scan-seconds", "1.5"}, kHistory);
  HttpOptions options;
  options.stall_limit = std::chrono::milliseconds(300);
  ExpectHandComputed(ReadChainBalances(HistoryQuery(260), {CoreWithDeadline(server, std::chrono::seconds(20))},
                                       LiveTransports(options)),
                     "260");
}

// A source whose history pages never end (always-new txids, fast, 20,000 a page) is bounded by
// the run's deadline, not by a count of transactions: the read ends when the deadline passes, as
// could-not-check naming the address and how far it got. (It once stopped at 1,000,000
// transactions, whatever the deadline, after keeping every txid in memory.)
TEST(EsploraPaging, AnEndlessHistoryEndsAtTheRunDeadlineNamingWhatWasLeft) {
  BitcoinTestServer server({"--endless-history", "--page-size", "20000"}, kHistory);
  HttpOptions options;
  const auto start = std::chrono::steady_clock::now();
  options.run_deadline = start + std::chrono::seconds(8);
  options.run_deadline_text = "--deadline 8s";
  auto result = ReadChainBalances(HistoryQuery(200), {Esplora(server)}, LiveTransports(options));
  ASSERT_FALSE(result.ok());
  const std::string& message = result.error().message;
  EXPECT_EQ(result.error().kind, ProblemKind::kTimedOut) << message;
  EXPECT_GE(SecondsSince(start), 8.0) << message;
  EXPECT_LT(SecondsSince(start), 8.0 + 4.0) << message;
  EXPECT_NE(message.find("not done: the run's deadline (--deadline 8s) passed"), std::string::npos) << message;
  EXPECT_NE(message.find("history of " + ChainAddresses(kHistory)[0].address + ": stopped after "), std::string::npos)
      << message;
}

// Esplora gives a history newest first (API.md, GET /address/:address/txs/chain): a page going
// back up in height breaks that order, so a repeat could no longer be seen; the source fails.
TEST(EsploraPaging, AHistoryOldestFirstIsASourceError) {
  BitcoinTestServer server({"--page-size", "10", "--history-oldest-first"}, kHistory);
  auto result = ReadChainBalances(HistoryQuery(200), {Esplora(server)}, LiveTransports());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("not newest first"), std::string::npos) << result.error().message;
}

}  // namespace
}  // namespace segverify::clients
