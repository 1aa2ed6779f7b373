// Bitcoin Core and Esplora clients, and the Bitcoin quorum, against the loopback test server
// (tests/support/servers/bitcoin_test_server.py). Expected balances are hand-computed in the chain file.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "clients/bitcoin_core_client.h"
#include "clients/bitcoin_types.h"
#include "clients/esplora_client.h"
#include "clients/quorum.h"
#include "tests/support/bitcoin_test_server.h"

namespace segverify::clients {
namespace {

using testing::BitcoinTestServer;
using testing::ChainAddresses;
using testing::ExpectedSatoshis;

BalanceQuery BtcQuery(std::uint64_t height) {
  BalanceQuery q;
  q.chain = Chain::kBitcoin;
  q.height = height;
  for (const auto& a : ChainAddresses()) q.addresses.push_back({a.address, a.script_pubkey});
  q.assets.push_back({"BTC", std::nullopt});
  return q;
}

std::vector<SourceConfig> Both(const BitcoinTestServer& core, const BitcoinTestServer& esplora) {
  return {{SourceType::kBitcoinCore, core.core_url(), "", "bitcoin source 1"},
          {SourceType::kEsplora, esplora.url(), "", "bitcoin source 2"}};
}

void ExpectBalances(const ChainBalances& result, const std::string& height) {
  auto addresses = ChainAddresses();
  ASSERT_EQ(result.balances.size(), addresses.size());
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    EXPECT_EQ(result.balances[i].address, addresses[i].address);
    EXPECT_EQ(U128ToDecimal(result.balances[i].amount), std::to_string(ExpectedSatoshis(height, addresses[i].name)))
        << addresses[i].name << " at " << height;
  }
}

HttpOptions Fast() {
  HttpOptions o;
  o.first_backoff = std::chrono::milliseconds(10);
  return o;
}

TEST(BitcoinAmount, ExactDecimalTextToSatoshis) {
  EXPECT_EQ(SatoshisFromBtcText("0.00012345"), std::optional<u128>(12345));
  EXPECT_EQ(SatoshisFromBtcText("50.00000000"), std::optional<u128>(5000000000ULL));
  EXPECT_EQ(SatoshisFromBtcText("21000000"), std::optional<u128>(2100000000000000ULL));
  EXPECT_EQ(SatoshisFromBtcText("0.1"), std::optional<u128>(10000000));
  for (const char* bad : {"", "-1", "1e-8", "0.000000001", "1.", ".5", "21000000.00000001", "1,5", " 1", "0x10"}) {
    EXPECT_FALSE(SatoshisFromBtcText(bad).has_value()) << bad;
  }
}

TEST(BitcoinQuorum, CoreAndEsploraAgreeAtTheTip) {
  BitcoinTestServer server;
  auto result = ReadChainBalances(BtcQuery(120), Both(server, server), LiveTransports());
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_TRUE(result->disagreements.empty());
  EXPECT_EQ(result->block_hash.size(), 64u);
  ExpectBalances(*result, "120");
  // The Core source is shown by its label and origin, without its credentials.
  EXPECT_EQ(result->sources[0], "bitcoin source 1 (" + server.url() + ")");
}

TEST(BitcoinQuorum, LaterSpendsAreSeenOnlyAtLaterPins) {
  BitcoinTestServer server({"--tip", "130"});
  auto result = ReadChainBalances(BtcQuery(130), Both(server, server), LiveTransports());
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_TRUE(result->disagreements.empty());
  ExpectBalances(*result, "130");
}

TEST(EsploraClient, BalanceBelowTheTipWithPagination) {
  BitcoinTestServer server;  // tip 120; p2tr has 33 transactions: two pages
  auto result = ReadChainBalances(BtcQuery(100), {{SourceType::kEsplora, server.url(), ""}}, LiveTransports());
  ASSERT_TRUE(result.ok()) << result.error().message;
  ExpectBalances(*result, "100");
}

TEST(BitcoinCoreClient, TipPastThePinReadsFromBlockFilters) {
  BitcoinTestServer server;  // tip 120: Core reads height 100 with scanblocks, not scantxoutset
  auto result = ReadChainBalances(BtcQuery(100), Both(server, server), LiveTransports());
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_TRUE(result->disagreements.empty());
  ExpectBalances(*result, "100");
}

TEST(BitcoinCoreClient, FutureBlockDoesNotExistYet) {
  BitcoinTestServer server;
  auto transport = MakeHttpTransport(server.core_url(), "");
  ASSERT_TRUE(transport.ok());
  BitcoinCoreClient core(std::move(transport.value()));
  auto hash = core.BlockHash(500);
  ASSERT_FALSE(hash.ok());
  EXPECT_NE(hash.error().message.find("block 500 does not exist yet"), std::string::npos) << hash.error().message;

  auto esplora_transport = MakeHttpTransport(server.url(), "");
  ASSERT_TRUE(esplora_transport.ok());
  EsploraClient esplora(std::move(esplora_transport.value()));
  auto ehash = esplora.BlockHash(500);
  ASSERT_FALSE(ehash.ok());
  EXPECT_NE(ehash.error().message.find("block 500 does not exist yet"), std::string::npos) << ehash.error().message;
}

TEST(BitcoinQuorum, SourceOnAnotherBranchDisagreesOnTheBlockHash) {
  BitcoinTestServer main_chain;
  BitcoinTestServer fork({"--fork-from", "110"});
  auto result = ReadChainBalances(BtcQuery(120), Both(main_chain, fork), LiveTransports());
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->disagreements.size(), 1u);
  EXPECT_EQ(result->disagreements[0].subject, "block 120");
  EXPECT_TRUE(result->balances.empty());
  EXPECT_TRUE(result->block_hash.empty());
}

TEST(BitcoinQuorum, SourceMissingATransactionDisagreesOnThoseBalances) {
  BitcoinTestServer core;
  BitcoinTestServer esplora({"--hide-tx", "4"});  // tx4 moved coins from p2wsh to p2wpkh
  auto result = ReadChainBalances(BtcQuery(120), Both(core, esplora), LiveTransports());
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->disagreements.size(), 2u);
  auto addresses = ChainAddresses();
  EXPECT_EQ(result->disagreements[0].subject, addresses[0].address);
  EXPECT_EQ(result->disagreements[0].value_a, "60000000");
  EXPECT_EQ(result->disagreements[0].value_b, "0");
  EXPECT_EQ(result->disagreements[1].subject, addresses[1].address);
  // Only the undisputed balances remain.
  ASSERT_EQ(result->balances.size(), 2u);
  EXPECT_EQ(result->balances[0].address, addresses[2].address);
  EXPECT_EQ(result->balances[1].address, addresses[3].address);
}

TEST(BitcoinCoreClient, WrongAuthIsAnErrorThatDoesNotShowTheSecret) {
  BitcoinTestServer server({"--auth", "user:correct-horse"});
  std::vector<SourceConfig> sources = {{SourceType::kBitcoinCore, "http://user:wrong-secret@" + server.url().substr(7), ""}};
  auto result = ReadChainBalances(BtcQuery(120), sources, LiveTransports());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("authentication failed"), std::string::npos) << result.error().message;
  EXPECT_EQ(result.error().message.find("wrong-secret"), std::string::npos);
  // Credentials given apart from the URL work too.
  sources = {{SourceType::kBitcoinCore, server.url(), "user:correct-horse"}};
  auto ok = ReadChainBalances(BtcQuery(120), sources, LiveTransports());
  ASSERT_TRUE(ok.ok()) << ok.error().message;
}

TEST(BitcoinQuorum, GarbageAndTruncatedAnswersAreErrorsNamingTheSource) {
  for (const char* fault : {"garbage", "truncated"}) {
    BitcoinTestServer bad({"--fault", fault});
    for (SourceType type : {SourceType::kBitcoinCore, SourceType::kEsplora}) {
      std::string url = type == SourceType::kBitcoinCore ? bad.core_url() : bad.url();
      auto result = ReadChainBalances(BtcQuery(120), {{type, url, ""}}, LiveTransports(Fast()));
      ASSERT_FALSE(result.ok()) << fault;
      EXPECT_NE(result.error().message.find(bad.url()), std::string::npos) << result.error().message;
    }
  }
}

TEST(BitcoinQuorum, SourceDownIsAnError) {
  BitcoinTestServer server;
  std::string url = server.url();
  server.Stop();
  auto result = ReadChainBalances(BtcQuery(120), {{SourceType::kEsplora, url, ""}}, LiveTransports(Fast()));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("cannot reach"), std::string::npos) << result.error().message;
}

TEST(HttpTransport, ResponseOverTheSizeLimitIsAnError) {
  BitcoinTestServer server;
  HttpOptions small = Fast();
  small.max_response_bytes = 1000;  // a page of Esplora history is far larger
  auto result = ReadChainBalances(BtcQuery(120), {{SourceType::kEsplora, server.url(), ""}}, LiveTransports(small));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("response larger than 1000 bytes"), std::string::npos) << result.error().message;
}

TEST(Evidence, ReplayGivesTheSameResultOffline) {
  testing::TempDir dir;
  std::string evidence = dir.File("evidence");
  std::string core_url, esplora_url;
  ChainBalances live;
  {
    BitcoinTestServer server;
    core_url = server.core_url();
    esplora_url = server.url();
    auto log = EvidenceLog::Open(evidence);
    ASSERT_TRUE(log.ok()) << log.error().message;
    auto result = ReadChainBalances(BtcQuery(120), Both(server, server), RecordingTransports(LiveTransports(), *log));
    ASSERT_TRUE(result.ok()) << result.error().message;
    live = *result;
  }  // server stopped: from here on nothing answers but the recording
  // One file per source, named by its label and origin ("bitcoin source 1 (http://127.0.0.1:P)").
  const std::string port = esplora_url.substr(esplora_url.rfind(':') + 1);
  const std::string file = evidence + "/bitcoin_source_1_http_127.0.0.1_" + port + ".jsonl.gz";
  EXPECT_EQ(testing::ReadFile(file).substr(0, 2), "\x1f\x8b") << "evidence is stored gzip-compressed";
  auto read = ReadEvidenceFile(file);
  ASSERT_TRUE(read.ok()) << read.error().message;
  const std::string recorded = *read;
  EXPECT_NE(recorded.find("\"method\":\"scantxoutset\""), std::string::npos);
  EXPECT_EQ(recorded.find("pass"), std::string::npos) << "credentials must never be recorded";
  EXPECT_NE(
      ReadEvidenceFile(evidence + "/bitcoin_source_2_http_127.0.0.1_" + port + ".jsonl.gz").value().find("/block-height/120"),
      std::string::npos);

  auto replay = EvidenceReplay::Load(evidence);
  ASSERT_TRUE(replay.ok()) << replay.error().message;
  std::vector<SourceConfig> sources = {{SourceType::kBitcoinCore, core_url, "", "bitcoin source 1"},
                                       {SourceType::kEsplora, esplora_url, "", "bitcoin source 2"}};
  auto replayed = ReadChainBalances(BtcQuery(120), sources, ReplayTransports(*replay));
  ASSERT_TRUE(replayed.ok()) << replayed.error().message;
  EXPECT_EQ(replayed->block_hash, live.block_hash);
  EXPECT_EQ(replayed->sources, live.sources);
  ASSERT_EQ(replayed->balances.size(), live.balances.size());
  for (std::size_t i = 0; i < live.balances.size(); ++i) {
    EXPECT_EQ(replayed->balances[i].address, live.balances[i].address);
    EXPECT_TRUE(replayed->balances[i].amount == live.balances[i].amount);
  }

  // A question the recording never saw is an error, not an empty answer.
  auto again = EvidenceReplay::Load(evidence);
  ASSERT_TRUE(again.ok());
  auto other = ReadChainBalances(BtcQuery(119), sources, ReplayTransports(*again));
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().message.find("not in the recording"), std::string::npos) << other.error().message;
}

}  // namespace
}  // namespace segverify::clients
