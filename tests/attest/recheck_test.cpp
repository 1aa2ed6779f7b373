// `segverify recheck` end to end (docs/DESIGN.md §Public re-check): the sample exchange is
// attested on real loopback nodes (anvil + the Bitcoin test server, tests/attest/
// sample_exchange_run.h), published with `segverify publish`, and re-checked as a visitor would:
// from the site's directory or its https URL, with nodes of the re-checker's choosing.
//
// Which nodes: the attestation reads Bitcoin from one Bitcoin test server (its Core RPC and its
// Esplora side). The re-checker's independent Bitcoin node is a SECOND Bitcoin test server process
// serving the same chain file, asked through Esplora only; with --hide-tx 2 that second server omits
// the transaction paying spot_p2wsh 10 BTC (a node disagreeing on a balance at the pinned block),
// with --fork-from 150 it is on another branch (another block hash at the pinned height).
// Ethereum is re-checked against the same anvil (there is only one chain to ask).
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/json.h"
#include "tests/attest/sample_exchange_run.h"
#include "tests/support/tls_test_support.h"
#include "tests/support/segverify_process.h"

namespace segverify::testing {
namespace {

// One running loopback server started by the test (stopped by its destructor).
class LoopbackServer {
 public:
  LoopbackServer(const std::string& script, const std::vector<std::string>& args, const std::string& scheme = "http")
      : process_("python3", WithScript(script, args), true),
        url_(scheme + "://127.0.0.1:" + process_.FirstLine(10000)) {}
  const std::string& url() const { return url_; }

 private:
  static std::vector<std::string> WithScript(const std::string& script, std::vector<std::string> args) {
    args.insert(args.begin(), SourcePath(script));
    return args;
  }
  ChildProcess process_;
  std::string url_;
};

// A second Bitcoin test server on the chain the sample exchange's launcher wrote (tip = the pin).
std::unique_ptr<LoopbackServer> BitcoinNode(const TempDir& dir, std::vector<std::string> flags = {}) {
  std::vector<std::string> args{"--chain", dir.File("servers/bitcoin_chain.json"), "--tip", "200"};
  args.insert(args.end(), flags.begin(), flags.end());
  return std::make_unique<LoopbackServer>("tests/support/servers/bitcoin_test_server.py", args);
}

std::unique_ptr<JsonDocument> Json(const std::string& path) {
  auto doc = ParseJsonFile(path);
  if (!doc) throw std::runtime_error(doc.error().message);
  return std::move(*doc);
}

void WriteJson(const std::string& path, const JsonDocument& doc) { WriteFile(path, JsonToString(doc) + "\n"); }

// The sample exchange attested into DIR/out and published into DIR/site, its nodes still up.
class PublishedExchange {
 public:
  explicit PublishedExchange(const TempDir& dir) : dir_(dir), exchange_("pass", dir.path()) {
    const auto config = Json(exchange_.config_path());
    ethereum_url_ = (*config)["chains"]["ethereum"]["sources"][0]["url"].GetString();
    attest_ = RunAttest({exchange_.config_path(), "--out", dir.File("out"), "--quiet"});
    published_ = RunSegverify({"publish", "--report", dir.File("out"), "--out", dir.File("site")});
  }

  const AttestRun& attest() const { return attest_; }
  const CommandResult& published() const { return published_; }
  std::string site() const { return dir_.File("site"); }
  // --source ethereum=ethereum=<the same anvil>.
  std::string EthereumSource() const { return "ethereum=ethereum=" + ethereum_url_; }
  void Stop() { exchange_.Stop(); }

 private:
  const TempDir& dir_;
  SampleExchange exchange_;
  std::string ethereum_url_;
  AttestRun attest_;
  CommandResult published_;
};

CommandResult Recheck(const std::string& site, const std::vector<std::string>& more) {
  std::vector<std::string> args{"recheck", site, "--quiet"};
  args.insert(args.end(), more.begin(), more.end());
  return RunSegverify(args);
}

bool Has(const CommandResult& run, const std::string& text) {
  return run.out.find(text) != std::string::npos || run.err.find(text) != std::string::npos;
}

// Writes the overlap variant of the sample's config beside it: the spot pool's first Bitcoin
// address (its proof included) also listed as a firm address. The chain is unchanged.
void WriteOverlapConfig(const std::string& config_path, const std::string& out_path) {
  auto config = Json(config_path);
  auto& alloc = config->GetAllocator();
  JsonValue entry((*config)["pools"][0]["addresses"][0], alloc);
  (*config)["firm"]["addresses"].PushBack(entry, alloc);
  WriteJson(out_path, *config);
}

TEST(Recheck, APassRecheckedWithAnIndependentNodeHolds) {
  TempDir dir;
  PublishedExchange exchange(dir);
  ASSERT_EQ(exchange.attest().result.exit_code, 0) << exchange.attest().result.err;
  ASSERT_EQ(exchange.published().exit_code, 0) << exchange.published().err;
  // attest wrote the public attestation; publish copied it as it is.
  ASSERT_TRUE(FileExists(dir.File("out/attestation.json")));
  EXPECT_EQ(ReadFile(dir.File("site/attestation.json")), ReadFile(dir.File("out/attestation.json")));

  auto bitcoin = BitcoinNode(dir);
  CommandResult run = Recheck(exchange.site(),
                              {"--source", "bitcoin=esplora=" + bitcoin->url(), "--source", exchange.EthereumSource()});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_TRUE(Has(run, "recheck of attestation 2026-11: re-checked PASS, as published: the attestation holds"))
      << run.out;
  EXPECT_TRUE(Has(run, "from " + bitcoin->url())) << run.out;

  // The same through Bitcoin Core (credentials in the URL), in JSON.
  auto core = BitcoinNode(dir, {"--auth", "visitor:visitor-secret"});
  const std::string core_url = "http://visitor:visitor-secret@" + core->url().substr(std::string("http://").size());
  CommandResult json = Recheck(exchange.site(), {"--json", "--source", "bitcoin=bitcoin-core=" + core_url, "--source",
                                                 exchange.EthereumSource()});
  ASSERT_EQ(json.exit_code, 0) << json.out << json.err;
  EXPECT_EQ(json.out.find("visitor-secret"), std::string::npos);
  auto doc = ParseJson(json.out, "stdout");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  EXPECT_STREQ((**doc)["format"].GetString(), "segverify-recheck/1");
  EXPECT_STREQ((**doc)["outcome"].GetString(), "holds");
  EXPECT_STREQ((**doc)["rechecked_verdict"].GetString(), "PASS");
  EXPECT_EQ((**doc)["differences"].Size(), 0u);
  // Bitcoin Core credentials from the environment, as `balances` takes them.
  ProcessOptions with_auth;
  with_auth.env = {"SEGVERIFY_RPC_AUTH=visitor:visitor-secret"};
  ProcessResult env_auth =
      RunSegverifyProcess({"recheck", exchange.site(), "--quiet", "--source", "bitcoin=bitcoin-core=" + core->url(),
                           "--source", exchange.EthereumSource()},
                          dir, with_auth);
  EXPECT_EQ(env_auth.exit_code, 0) << env_auth.out << env_auth.err;
  // The pinned blocks are the published ones.
  const auto shown = Json(dir.File("site/report.json"));
  for (const char* chain : {"bitcoin", "ethereum"}) {
    EXPECT_STREQ((**doc)["chains"][chain]["block_hash"].GetString(),
                 (*shown)["chains"][chain]["block_hash"].GetString())
        << chain;
  }
}

// A FAIL run's published report rewritten, consistently, as a PASS (its error findings, an overlap
// and the shared key it implies, removed; its verdict and roots.json's turned to PASS): the report
// reader takes it, the re-check does not.
TEST(Recheck, AFailPublishedAsAPassIsADisagreementNamingTheFinding) {
  TempDir dir;
  SampleExchange exchange("pass", dir.path());
  WriteOverlapConfig(exchange.config_path(), dir.File("servers/overlap.json"));
  AttestRun attested = RunAttest({dir.File("servers/overlap.json"), "--out", dir.File("out"), "--quiet"});
  ASSERT_EQ(attested.result.exit_code, 1) << attested.result.out << attested.result.err;
  ASSERT_EQ(Findings(*attested.report, "overlap").size(), 1u) << attested.report_text;
  ASSERT_EQ(RunSegverify({"publish", "--report", dir.File("out"), "--out", dir.File("site")}).exit_code, 0);
  const std::string ethereum =
      "ethereum=ethereum=" +
      std::string((*Json(exchange.config_path()))["chains"]["ethereum"]["sources"][0]["url"].GetString());
  auto bitcoin = BitcoinNode(dir);
  const std::vector<std::string> sources{"--source", "bitcoin=esplora=" + bitcoin->url(), "--source", ethereum};

  // As published: a FAIL, re-checked as a FAIL.
  CommandResult honest = Recheck(dir.File("site"), sources);
  EXPECT_EQ(honest.exit_code, 1) << honest.out << honest.err;
  EXPECT_TRUE(Has(honest, "re-checked FAIL, as published: the attestation does not hold")) << honest.out;
  const std::string published_report = ReadFile(dir.File("site/report.json"));

  auto report = Json(dir.File("site/report.json"));
  auto& findings = (*report)["findings"];
  for (rapidjson::SizeType i = findings.Size(); i-- > 0;) {
    if (std::string(findings[i]["severity"].GetString()) == "error") findings.Erase(findings.Begin() + i);
  }
  (*report)["verdict"].SetString("PASS");
  WriteJson(dir.File("site/report.json"), *report);
  // report.json alone edited: roots.json still says FAIL.
  CommandResult half = Recheck(dir.File("site"), sources);
  EXPECT_EQ(half.exit_code, 1) << half.out << half.err;
  EXPECT_TRUE(
      Has(half, "mismatch: pool spot of attestation 2026-11: roots.json gives the verdict FAIL, report.json PASS"))
      << half.out;

  auto roots = Json(dir.File("site/roots.json"));
  for (auto& root : (*roots)["roots"].GetArray()) root["verdict"].SetString("PASS");
  WriteJson(dir.File("site/roots.json"), *roots);
  CommandResult edited = Recheck(dir.File("site"), sources);
  EXPECT_EQ(edited.exit_code, 1) << edited.out << edited.err;
  EXPECT_TRUE(Has(edited, "recheck of attestation 2026-11: the re-check disagrees with the published report"))
      << edited.out;
  EXPECT_TRUE(Has(edited, "difference: verdict: attestation 2026-11: published PASS, re-checked FAIL")) << edited.out;
  for (const std::string check : {"overlap", "shared-key"}) {
    EXPECT_TRUE(Has(edited, "difference: finding-missing: " + SampleAddress("spot_p2wpkh") +
                                ": the re-check finds error " + check + ": "))
        << edited.out;
  }

  // The published report says PASS beside its own error findings (roots.json agrees with it): it
  // is read as data and its contradiction named, exit 1 (the published verdict does not hold),
  // not refused as a malformed file (exit 2).
  auto contradicting = ParseJson(published_report, "report.json");
  ASSERT_TRUE(contradicting.ok());
  (**contradicting)["verdict"].SetString("PASS");
  WriteJson(dir.File("site/report.json"), **contradicting);
  CommandResult self_contradicting = Recheck(dir.File("site"), sources);
  EXPECT_EQ(self_contradicting.exit_code, 1) << self_contradicting.out << self_contradicting.err;
  EXPECT_TRUE(Has(self_contradicting,
                  "difference: verdict: report.json of attestation 2026-11: the published report contradicts itself: "
                  "PASS contradicts the report's contents, which call for FAIL"))
      << self_contradicting.out << self_contradicting.err;
}

TEST(Recheck, AnAttestationWhoseRootIsNotInRootsJsonIsAMismatch) {
  TempDir dir;
  PublishedExchange exchange(dir);
  ASSERT_EQ(exchange.published().exit_code, 0) << exchange.published().err;
  exchange.Stop();  // the files alone show it: no node is asked
  auto attestation = Json(dir.File("site/attestation.json"));
  std::string hash = (*attestation)["pools"][0]["root"]["hash"].GetString();
  hash[0] = hash[0] == '0' ? '1' : '0';
  (*attestation)["pools"][0]["root"]["hash"].SetString(hash.c_str(), static_cast<rapidjson::SizeType>(hash.size()),
                                                       attestation->GetAllocator());
  WriteJson(dir.File("site/attestation.json"), *attestation);
  CommandResult run = Recheck(dir.File("site"), {"--source", "bitcoin=esplora=http://127.0.0.1:1", "--source",
                                                 "ethereum=ethereum=http://127.0.0.1:1"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_TRUE(Has(run, "the published files disagree with each other")) << run.out;
  EXPECT_TRUE(
      Has(run, "mismatch: pool spot of attestation 2026-11: the root in attestation.json (hash " + hash.substr(0, 16)))
      << run.out;
  EXPECT_TRUE(Has(run, "is not the root in roots.json")) << run.out;
  EXPECT_TRUE(Has(run, "mismatch: pool spot: the root in attestation.json")) << run.out;  // nor report.json's
  // Its verdict cannot be lost on the way out: a full stdout is exit 2.
  ProcessOptions full;
  full.stdout_path = "/dev/full";
  ProcessResult lost = RunSegverifyProcess({"recheck", dir.File("site"), "--quiet", "--source",
                                            "bitcoin=esplora=http://127.0.0.1:1", "--source",
                                            "ethereum=ethereum=http://127.0.0.1:1"},
                                           dir, full);
  EXPECT_EQ(lost.exit_code, 2) << lost.err;
  EXPECT_NE(lost.err.find("cannot write to standard output"), std::string::npos) << lost.err;
}

TEST(Recheck, ANodeThatDisagreesOnABalanceAtThePinIsNamed) {
  TempDir dir;
  PublishedExchange exchange(dir);
  ASSERT_EQ(exchange.published().exit_code, 0) << exchange.published().err;
  auto hiding = BitcoinNode(dir, {"--hide-tx", "2"});  // Esplora omits the 10 BTC paid to spot_p2wsh
  CommandResult run =
      Recheck(exchange.site(), {"--source", "bitcoin=esplora=" + hiding->url(), "--source", exchange.EthereumSource()});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_TRUE(Has(run, "difference: balance: " + SampleAddress("spot_p2wsh") +
                           ": BTC at the pinned block: published 10, re-checked 0"))
      << run.out;
  EXPECT_TRUE(Has(run, "difference: verdict: attestation 2026-11: published PASS, re-checked FAIL")) << run.out;
}

TEST(Recheck, ANodeOnAnotherBranchIsADisagreementNamingIt) {
  TempDir dir;
  PublishedExchange exchange(dir);
  ASSERT_EQ(exchange.published().exit_code, 0) << exchange.published().err;
  auto forked = BitcoinNode(dir, {"--fork-from", "150"});
  CommandResult run =
      Recheck(exchange.site(), {"--source", "bitcoin=esplora=" + forked->url(), "--source", exchange.EthereumSource()});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_TRUE(Has(run,
                  "difference: finding-missing: bitcoin block 200: the re-check finds error block-hash: at height "
                  "200 the sources have block "))
      << run.out;
  EXPECT_TRUE(Has(run, "(bitcoin source 1 (" + forked->url() + "))")) << run.out;
}

TEST(Recheck, ASiteServedOverHttpsWithATestCa) {
  TempDir dir;
  PublishedExchange exchange(dir);
  ASSERT_EQ(exchange.published().exit_code, 0) << exchange.published().err;
  const TestCerts& certs = TestCerts::Get();
  std::vector<std::string> args{"--root", exchange.site()};
  for (const std::string& flag : certs.ServerFlags()) args.push_back(flag);
  LoopbackServer web("tests/support/servers/static_site_server.py", args, "https");
  auto bitcoin = BitcoinNode(dir);
  const std::vector<std::string> sources{"--source", "bitcoin=esplora=" + bitcoin->url(), "--source",
                                         exchange.EthereumSource()};
  std::vector<std::string> trusted{"--ca-file", certs.CaFile()};
  trusted.insert(trusted.end(), sources.begin(), sources.end());
  // The address a visitor copies from the page (its folder, or the page itself) names the site.
  for (const std::string& address : {web.url() + "/", web.url() + "/index.html"}) {
    CommandResult run = Recheck(address, trusted);
    EXPECT_EQ(run.exit_code, 0) << address << "\n" << run.out << run.err;
  }
  // Without the test CA, the site's certificate is not trusted: could not check.
  CommandResult untrusted = Recheck(web.url() + "/", sources);
  EXPECT_EQ(untrusted.exit_code, 2) << untrusted.out << untrusted.err;
  EXPECT_TRUE(Has(untrusted, "site (" + web.url())) << untrusted.err;
  EXPECT_TRUE(Has(untrusted, "certificate")) << untrusted.err;
}

// A node URL that points at a website (mempool.space without /api answers an HTML 404 page) is
// named as such, never "block 200 does not exist yet"; so is a website given as a JSON-RPC node.
TEST(Recheck, ASourceUrlOfTheWrongKindIsNamedAsSuch) {
  TempDir dir;
  PublishedExchange exchange(dir);
  ASSERT_EQ(exchange.published().exit_code, 0) << exchange.published().err;
  std::filesystem::create_directories(dir.File("website"));
  LoopbackServer website("tests/support/servers/static_site_server.py", {"--root", dir.File("website"), "--html-errors"},
                         "http");
  CommandResult esplora =
      Recheck(exchange.site(), {"--source", "bitcoin=esplora=" + website.url(), "--source", exchange.EthereumSource()});
  EXPECT_EQ(esplora.exit_code, 2) << esplora.out << esplora.err;
  EXPECT_TRUE(Has(esplora, "not an Esplora API at this URL (HTTP 404, text/html)")) << esplora.err;
  EXPECT_FALSE(Has(esplora, "does not exist yet")) << esplora.err;
  auto bitcoin = BitcoinNode(dir);
  CommandResult rpc = Recheck(exchange.site(), {"--source", "bitcoin=esplora=" + bitcoin->url(), "--source",
                                                "ethereum=ethereum=" + website.url()});
  EXPECT_EQ(rpc.exit_code, 2) << rpc.out << rpc.err;
  EXPECT_TRUE(Has(rpc, "not a JSON-RPC API at this URL (HTTP 405, text/html)")) << rpc.err;
}

TEST(Recheck, WhatCannotBeCheckedIsExitTwo) {
  TempDir dir;
  PublishedExchange exchange(dir);
  ASSERT_EQ(exchange.published().exit_code, 0) << exchange.published().err;
  auto bitcoin = BitcoinNode(dir);
  const std::string bitcoin_source = "bitcoin=esplora=" + bitcoin->url();
  const std::string closed = "http://127.0.0.1:" + std::to_string(FreeLoopbackPort());

  CommandResult unreachable =
      Recheck(closed + "/", {"--source", bitcoin_source, "--source", exchange.EthereumSource()});
  EXPECT_EQ(unreachable.exit_code, 2);
  EXPECT_TRUE(Has(unreachable, "site (" + closed)) << unreachable.err;

  CommandResult node_down =
      Recheck(exchange.site(), {"--source", bitcoin_source, "--source", "ethereum=ethereum=" + closed});
  EXPECT_EQ(node_down.exit_code, 2) << node_down.out << node_down.err;
  EXPECT_TRUE(Has(node_down, "ethereum source 1 (" + closed)) << node_down.err;
  EXPECT_TRUE(Has(node_down, "could not be re-checked")) << node_down.out;

  CommandResult no_source = Recheck(exchange.site(), {"--source", bitcoin_source});
  EXPECT_EQ(no_source.exit_code, 2);
  EXPECT_TRUE(Has(no_source, "no --source for chain ethereum")) << no_source.err;

  CommandResult bad_option = Recheck(exchange.site(), {"--source", "esplora=" + bitcoin->url()});
  EXPECT_EQ(bad_option.exit_code, 2);

  std::filesystem::remove(dir.File("site/attestation.json"));
  CommandResult missing = Recheck(exchange.site(), {"--source", bitcoin_source, "--source", exchange.EthereumSource()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_TRUE(Has(missing, "attestation.json")) << missing.err;
  // Every month stays re-checkable: publish kept this attestation under attestations/2026-11/.
  CommandResult archived = Recheck(exchange.site(), {"--id", "2026-11", "--source", bitcoin_source, "--source",
                                                     exchange.EthereumSource()});
  EXPECT_EQ(archived.exit_code, 0) << archived.out << archived.err;
  EXPECT_TRUE(Has(archived, "recheck of attestation 2026-11: re-checked PASS, as published")) << archived.out;
  CommandResult unknown = Recheck(exchange.site(), {"--id", "2025-01", "--source", bitcoin_source, "--source",
                                                    exchange.EthereumSource()});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_TRUE(Has(unknown, "the site keeps no attestation 2025-01")) << unknown.err;

  WriteFile(dir.File("site/attestation.json"), "{\"format\":\"segverify-public-attestation/1\"}");
  CommandResult malformed =
      Recheck(exchange.site(), {"--source", bitcoin_source, "--source", exchange.EthereumSource()});
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_TRUE(Has(malformed, "attestation.json: id")) << malformed.err;
}

}  // namespace
}  // namespace segverify::testing
