// Secrets in node URLs and credentials never reach an output (docs/DESIGN.md §Node transport,
// Secrets): an attestation with a Bitcoin Core password holding '/', a path and a query on the
// Core URL, an API key in an Esplora query, Bitcoin Core cookie auth, and a provider-style key in
// an Ethereum URL's path, query and fragment. After a run that reads every source, and after one
// where a source cannot be reached, none of those strings is in stdout, stderr, any file the run
// wrote, or any of those files' names.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/bitcoin_test_server.h"
#include "tests/support/faulty_eth_node.h"
#include "tests/hostile/measured_run.h"

namespace segverify::testing {
namespace {

namespace fs = std::filesystem;

const std::string kCorePassword = "20/24S3cret";
const std::vector<std::string> kSecrets = {
    "24S3cret", "WALLETPATH7", "RPCQUERY1", "ESPLORAKEY9", "INFURAKEY0123456789", "ALCHEMYQ5", "FRAGMENT3"};

// The addresses of the history chain (pin 200) and the EIP-191 fixture's address, without
// ownership proofs for Bitcoin: the run reads every source and ends in FAIL, which is enough here.
std::string Config(const std::string& core_url, const std::string& cookie_core_url, const std::string& esplora_url,
                   const std::string& eth_url) {
  return R"({"format":"segverify-attestation/1","id":"secrets-1","message":"Hello World",)"
         R"("assets":[{"symbol":"BTC","decimals":8,"chain":"bitcoin"},{"symbol":"ETH","decimals":18,"chain":"ethereum"}],)"
         R"("chains":{"bitcoin":{"height":200,"sources":[)"
         R"({"type":"bitcoin-core","url":")" +
         core_url +
         R"("},)"
         R"({"type":"bitcoin-core","url":")" +
         cookie_core_url +
         R"(","cookie_file":"core/.cookie"},)"
         R"({"type":"esplora","url":")" +
         esplora_url +
         R"("}]},)"
         R"("ethereum":{"block":16,"sources":[{"type":"ethereum","url":")" +
         eth_url +
         R"("}]}},)"
         R"("pools":[{"name":"spot","liabilities":"spot.csv","addresses":[)"
         R"({"chain":"bitcoin","address":"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"},)"
         R"({"chain":"ethereum","address":")" +
         std::string(kFaultTestAddress) + R"(","proof":{"type":"eip191","signature":")" +
         HelloWorldSignature(kFaultTestAddress) +
         R"("}}]}],)"
         R"("firm":{"addresses":[]}})";
}

// Every file under `dir` (names and contents) and the run's outputs, checked for each secret.
void ExpectNoSecret(const TempDir& dir, const MeasuredRun& run, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    EXPECT_EQ(run.out.find(secret), std::string::npos) << secret << " on stdout: " << run.out;
    EXPECT_EQ(run.err.find(secret), std::string::npos) << secret << " on stderr: " << run.err;
  }
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir.File("out"))) {
    const std::string name = entry.path().string();
    const std::string content = entry.is_regular_file() ? ReadFile(name) : "";
    ++files;
    for (const auto& secret : secrets) {
      EXPECT_EQ(name.find(secret), std::string::npos) << secret << " in a file name: " << name;
      EXPECT_EQ(content.find(secret), std::string::npos) << secret << " in " << name;
    }
  }
  EXPECT_GT(files, 3);
}

TEST(Secrets, NoUrlSecretPasswordOrCookieInAnyOutput) {
  TempDir dir;
  fs::create_directories(dir.File("core"));
  const std::string history = BitcoinTestServer::HistoryChainFile();
  BitcoinTestServer core({"--auth", "user:" + kCorePassword}, history);
  BitcoinTestServer cookie_core({"--cookie-file", dir.File("core/.cookie")}, history);
  FaultyEthNode eth("none");
  const std::string cookie = ReadFile(dir.File("core/.cookie"));
  ASSERT_EQ(cookie.rfind("__cookie__:", 0), 0u);
  std::vector<std::string> secrets = kSecrets;
  secrets.push_back(cookie.substr(std::string("__cookie__:").size()));

  WriteFile(dir.File("spot.csv"), "account_id,BTC,ETH\nalice,1,1.5\n");
  const std::string core_url =
      "http://user:" + kCorePassword + "@127.0.0.1:" + std::to_string(core.port()) + "/wallet/WALLETPATH7?x=RPCQUERY1";
  const std::string esplora_url = core.url() + "?apikey=ESPLORAKEY9";
  const std::string eth_url = eth.url() + "/v3/INFURAKEY0123456789?k=ALCHEMYQ5#FRAGMENT3";
  WriteFile(dir.File("config.json"), Config(core_url, cookie_core.url(), esplora_url, eth_url));
  auto run = RunSegverifyMeasured({"attest", dir.File("config.json"), "--out", dir.File("out")}, dir);
  // Every source answered: the one finding is the Bitcoin address without an ownership proof.
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("ownership"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("could not check"), std::string::npos) << run.out;
  // report.json names the sources by origin, in config order; block_time is the pinned header's
  // (the test chain's block 200: 1700000000 + 600 * 200 = 1700120000, `date -u -d @1700120000`).
  auto report = ParseJsonFile(dir.File("out/report.json"));
  ASSERT_TRUE(report.ok()) << report.error().message;
  const auto& bitcoin = (**report)["chains"]["bitcoin"];
  ASSERT_EQ(bitcoin["sources"].Size(), 3u);
  EXPECT_EQ(std::string(bitcoin["sources"][0].GetString()), core.url());
  EXPECT_EQ(std::string(bitcoin["sources"][1].GetString()), cookie_core.url());
  EXPECT_EQ(std::string(bitcoin["sources"][2].GetString()), core.url());
  EXPECT_EQ(std::string(bitcoin["block_time"].GetString()), "2023-11-16T07:33:20Z");
  // The fault node's block 16: 1700000000 + 12 * 16 (faulty_eth_node.py).
  EXPECT_EQ(std::string((**report)["chains"]["ethereum"]["block_time"].GetString()), "2023-11-14T22:16:32Z");
  ExpectNoSecret(dir, run, secrets);

  // A source that cannot be reached: the error paths show no more than the origin either.
  FaultyEthNode resetting("reset");
  const std::string down_url = resetting.url() + "/v3/INFURAKEY0123456789?k=ALCHEMYQ5#FRAGMENT3";
  WriteFile(dir.File("config.json"), Config(core_url, cookie_core.url(), esplora_url, down_url));
  auto down = RunSegverifyMeasured({"attest", dir.File("config.json"), "--out", dir.File("out")}, dir);
  EXPECT_EQ(down.exit_code, 2) << down.out << down.err;
  EXPECT_NE(down.err.find("ethereum source 1 (" + resetting.url() + ")"), std::string::npos) << down.err;
  ExpectNoSecret(dir, down, secrets);
}

}  // namespace
}  // namespace segverify::testing
