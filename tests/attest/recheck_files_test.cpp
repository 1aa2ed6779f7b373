// Pins the pure parts of the public re-check (verifier/attest/public_attestation.*, recheck.*;
// docs/DESIGN.md §Public re-check): the public attestation written from a config carries nothing
// secret and reads back as the same attestation; the three published files are cross-checked (each
// mismatch named); the re-checked report is compared with the published one (each difference
// named, and whether it is definite); the outcome follows the exit-code rules.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "merkle/amount.h"
#include "tests/support/test_support.h"
#include "verifier/attest/attestation_config.h"
#include "verifier/attest/public_attestation.h"
#include "verifier/attest/recheck.h"

namespace segverify::attest {
namespace {

using report::Verdict;
using segverify::testing::TempDir;
using segverify::testing::WriteFile;

// Addresses from BIP-173's and EIP-55's examples (public test vectors); the secrets are made up and
// must never reach the public attestation.
const std::string kConfig = R"({
 "format":"segverify-attestation/1","id":"2026-11","message":"Example attestation 2026-11",
 "assets":[{"symbol":"BTC","decimals":8,"chain":"bitcoin"},{"symbol":"ETH","decimals":18,"chain":"ethereum"},
           {"symbol":"USDT","decimals":6,"chain":"ethereum","contract":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"}],
 "chains":{"bitcoin":{"height":870000,"sources":[{"type":"bitcoin-core","url":"http://rpcuser:SECRET-PASS@10.9.8.7:8332","auth":"u:AUTH-SECRET"},
                                                {"type":"esplora","url":"https://esplora.example/api/KEY-IN-PATH"}]},
           "ethereum":{"block":21000000,"sources":[{"type":"ethereum","url":"https://mainnet.example/v3/API-KEY","timeout_s":30}]},
           "arbitrum":{"type":"evm","chain_id":42161,"block":300000000,"sources":[{"type":"ethereum","url":"http://10.9.8.6:8547"}]}},
 "pools":[{"name":"spot","liabilities":"private/spot-liabilities.csv","addresses":[
   {"chain":"bitcoin","address":"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4","proof":{"type":"bip322","signature":"AA=="}},
   {"chain":"bitcoin","address":"bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3","script":"51","proof":{"type":"bip322","signature":"AQ=="}},
   {"chain":"ethereum","address":"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359","proof":{"type":"eip191","signature":"0x00"}}]},
  {"name":"margin","liabilities":"private/margin.csv","addresses":[
   {"chain":"arbitrum","address":"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB","proof":{"type":"erc1271","signature":"0x01"}}]}],
 "firm":{"addresses":[{"chain":"bitcoin","address":"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"}],
         "keys":["0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"]}})";

AttestationConfig LoadConfig() {
  TempDir dir;
  WriteFile(dir.File("config.json"), kConfig);
  auto config = LoadAttestationConfig(dir.File("config.json"));
  EXPECT_TRUE(config.ok()) << config.error().message;
  return *config;
}

merkle::PublishedRoot Root(const AttestationConfig& config, std::uint8_t fill, std::vector<u128> sums) {
  merkle::PublishedRoot root;
  root.assets = config.AssetSpecs();
  root.hash.fill(fill);
  root.height = 20;
  root.sums = std::move(sums);
  return root;
}

// An entry of roots.json for a pool of kConfig (its three assets).
report::ListedRoot Listed(std::string id, std::string pool, std::string hash, std::vector<std::string> sums,
                          unsigned height, Verdict verdict) {
  report::ListedRoot listed;
  listed.report_id = std::move(id);
  listed.pool = std::move(pool);
  listed.hash = std::move(hash);
  listed.sums = std::move(sums);
  listed.height = height;
  listed.assets = LoadConfig().AssetSpecs();
  listed.verdict = verdict;
  return listed;
}

// A published site whose three files agree: the public attestation of kConfig (spot has a root,
// margin has none), a report of it, and roots.json listing spot's root.
struct Site {
  AttestationConfig config = LoadConfig();
  PublishedAttestation published;
  std::string attestation_text;

  Site() {
    const merkle::PublishedRoot spot = Root(config, 0xab, {150000000, 2, 3000000});
    attestation_text = PublicAttestationToJson(config, {spot, std::nullopt});
    auto parsed = ParsePublicAttestation(attestation_text, "attestation.json");
    EXPECT_TRUE(parsed.ok()) << parsed.error().message;
    published.attestation = *parsed;
    report::Report& r = published.report;
    r.id = config.id;
    r.message = config.message;
    r.verdict = Verdict::kError;
    r.chains = {{"bitcoin", Chain::kBitcoin, 870000, std::string(64, '1'), std::nullopt, {"bitcoin source 1"}, std::nullopt, {}, {}},
                {"ethereum", Chain::kEthereum, 21000000, "0x" + std::string(64, '2'), std::nullopt, {"ethereum source 1"}, "proven", {}, {}},
                {"arbitrum", Chain::kEthereum, 300000000, "0x" + std::string(64, '3'), std::nullopt, {"arbitrum source 1"}, "proven", {}, {}}};
    for (const ConfigPool& pool : config.pools) {
      report::PoolReport p;
      p.name = pool.name;
      for (const merkle::AssetSpec& asset : config.AssetSpecs())
        p.assets.push_back({asset, 0, std::nullopt, std::nullopt});
      if (pool.name == "spot") p.root = spot;
      r.pools.push_back(p);
    }
    r.problems = {{ProblemKind::kInput, "", std::nullopt, "margin", "", "", "pool margin: no tree"}};
    published.roots = {Listed("2026-11", "spot", ToHex(spot.hash), {"1.5", "0.000000000000000002", "3"}, 20, Verdict::kError),
                       Listed("2026-10", "spot", std::string(64, 'c'), {"1", "1", "1"}, 19, Verdict::kPass)};
  }
};

bool Mentions(const std::vector<std::string>& lines, const std::string& text) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& l) { return l.find(text) != std::string::npos; });
}

// ---- the public attestation --------------------------------------------------------------------

TEST(PublicAttestation, CarriesNoSourceNoPathNoSecret) {
  const Site site;
  for (const char* secret : {"sources", "liabilities", "SECRET-PASS", "AUTH-SECRET", "KEY-IN-PATH", "API-KEY", "10.9.8",
                             "rpcuser", "timeout_s", "private/", ".csv", "url", "auth"}) {
    EXPECT_EQ(site.attestation_text.find(secret), std::string::npos) << secret << " in\n" << site.attestation_text;
  }
  EXPECT_NE(site.attestation_text.find(R"("format": "segverify-public-attestation/1")"), std::string::npos);
}

TEST(PublicAttestation, ReadsBackAsTheAttestationAsRun) {
  const Site site;
  const AttestationConfig& back = site.published.attestation;
  const AttestationConfig& run = site.config;
  EXPECT_EQ(back.id, run.id);
  EXPECT_EQ(back.message, run.message);
  EXPECT_EQ(back.AssetSpecs(), run.AssetSpecs());
  ASSERT_EQ(back.assets.size(), run.assets.size());
  for (std::size_t i = 0; i < run.assets.size(); ++i) {
    EXPECT_EQ(back.assets[i].chain_name, run.assets[i].chain_name);
    EXPECT_EQ(back.assets[i].contract, run.assets[i].contract);
  }
  ASSERT_EQ(back.chains.size(), run.chains.size());
  for (std::size_t i = 0; i < run.chains.size(); ++i) {
    EXPECT_EQ(back.chains[i].name, run.chains[i].name);
    EXPECT_EQ(back.chains[i].chain, run.chains[i].chain);
    EXPECT_EQ(back.chains[i].chain_id, run.chains[i].chain_id);
    EXPECT_EQ(back.chains[i].height, run.chains[i].height);
    EXPECT_TRUE(back.chains[i].sources.empty());
  }
  ASSERT_EQ(back.pools.size(), 2u);
  for (std::size_t p = 0; p < 2; ++p) {
    EXPECT_EQ(back.pools[p].name, run.pools[p].name);
    EXPECT_TRUE(back.pools[p].liabilities_path.empty());
    ASSERT_EQ(back.pools[p].addresses.size(), run.pools[p].addresses.size());
    for (std::size_t a = 0; a < run.pools[p].addresses.size(); ++a) {
      const ConfigAddress& x = back.pools[p].addresses[a];
      const ConfigAddress& y = run.pools[p].addresses[a];
      EXPECT_EQ(x.chain_name, y.chain_name);
      EXPECT_EQ(x.address, y.address);  // as written
      EXPECT_EQ(x.script, y.script);
      EXPECT_EQ(x.proof_type, y.proof_type);
      EXPECT_EQ(x.signature, y.signature);
      EXPECT_EQ(x.json_path, y.json_path);  // errors name the same place in both files
    }
  }
  ASSERT_TRUE(back.pools[0].root.has_value());
  EXPECT_EQ(back.pools[0].root->sums, (std::vector<u128>{150000000, 2, 3000000}));
  EXPECT_EQ(back.pools[0].root->height, 20u);
  EXPECT_FALSE(back.pools[1].root.has_value());  // "root": null
  ASSERT_EQ(back.firm_addresses.size(), 1u);
  EXPECT_EQ(back.firm_addresses[0].address, "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4");
  EXPECT_FALSE(back.firm_addresses[0].proof_type.has_value());
  EXPECT_EQ(back.firm_keys, run.firm_keys);
  // Writing the read-back attestation again gives the same bytes.
  std::vector<std::optional<merkle::PublishedRoot>> roots;
  for (const ConfigPool& pool : back.pools) roots.push_back(pool.root);
  EXPECT_EQ(PublicAttestationToJson(back, roots), site.attestation_text);
}

TEST(PublicAttestation, TheParserRefusesWhatAPublicAttestationCannotHold) {
  const Site site;
  auto parse = [](const std::string& text) { return ParsePublicAttestation(text, "attestation.json"); };
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string text = site.attestation_text;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {replaced(R"("height": 870000)", R"("height": 870000, "sources": [])"), "chains.bitcoin.sources: unknown field"},
      {replaced(R"("name": "margin",)", R"("name": "margin", "liabilities": "m.csv",)"),
       "pools[1].liabilities: unknown field"},
      {replaced(R"("name": "margin",)", R"("name": "margin", "root": null,)"), "duplicate"},
      {replaced(R"("height": 20)", R"("height": 20, "pool": "spot")"), "pools[0].root.pool: unknown field"},
      {replaced("segverify-public-attestation/1", "segverify-attestation/1"),
       "an attestation config (segverify-attestation/1), not a published attestation"},
      {replaced(R"("1.5")", R"("1.500000001")"), "pools[0].root.sums[0]"},
  };
  for (const auto& [text, expected] : cases) {
    auto parsed = parse(text);
    ASSERT_FALSE(parsed.ok()) << expected;
    EXPECT_NE(parsed.error().message.find(expected), std::string::npos) << parsed.error().message;
  }
  // A config is not a public attestation, and the other way round.
  EXPECT_FALSE(parse(kConfig).ok());
  TempDir dir;
  WriteFile(dir.File("attestation.json"), site.attestation_text);
  EXPECT_FALSE(LoadAttestationConfig(dir.File("attestation.json")).ok());
}

// ---- the three files -----------------------------------------------------------------------------

TEST(RecheckFiles, FilesOfOneAttestationAgree) {
  const Site site;
  EXPECT_EQ(CrossCheckPublishedFiles(site.published), std::vector<std::string>());
}

TEST(RecheckFiles, EachMismatchIsNamed) {
  struct Case {
    std::string name;
    std::function<void(PublishedAttestation&)> edit;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"another id", [](PublishedAttestation& s) { s.report.id = "2026-12"; },
       "attestation.json is attestation 2026-11, report.json is attestation 2026-12"},
      {"another message", [](PublishedAttestation& s) { s.report.message = "other"; }, "the message"},
      {"another height", [](PublishedAttestation& s) { s.report.chains[1].height = 21000001; },
       "ethereum: attestation.json pins 21000000, report.json 21000001"},
      {"a chain missing", [](PublishedAttestation& s) { s.report.chains.pop_back(); },
       "attestation.json pins arbitrum, which report.json does not list"},
      {"pools in another order", [](PublishedAttestation& s) { std::swap(s.report.pools[0], s.report.pools[1]); },
       "the pools of attestation.json (spot, margin) are not those of report.json (margin, spot)"},
      {"root hash in attestation.json", [](PublishedAttestation& s) { s.attestation.pools[0].root->hash[0] ^= 1; },
       "pool spot: the root in attestation.json (hash aaabababababab"},
      {"root sums in report.json", [](PublishedAttestation& s) { s.report.pools[0].root->sums[1] = 3; },
       "is not the root in report.json"},
      {"a root only in report.json", [](PublishedAttestation& s) { s.report.pools[1].root = s.report.pools[0].root; },
       "pool margin: attestation.json has no root, the other one has"},
      {"roots.json without the root", [](PublishedAttestation& s) { s.roots.erase(s.roots.begin()); },
       "roots.json lists no root for pool spot of attestation 2026-11"},
      {"roots.json with another hash", [](PublishedAttestation& s) { s.roots[0].hash = std::string(64, 'd'); },
       "pool spot of attestation 2026-11: the root in attestation.json (hash abababababababab…, height 20, sums 1.5 / "
       "0.000000000000000002 / 3) is not the root in roots.json (hash dddddddddddddddd…"},
      {"roots.json with other sums", [](PublishedAttestation& s) { s.roots[0].sums[2] = "3.000001"; },
       "is not the root in roots.json"},
      {"roots.json with another height", [](PublishedAttestation& s) { s.roots[0].height = 21; },
       "is not the root in roots.json"},
      {"roots.json with a second root",
       [](PublishedAttestation& s) {
         s.roots.push_back(Listed("2026-11", "spot", std::string(64, 'e'), {"1", "1", "1"}, 20, Verdict::kError));
       },
       "roots.json lists 2 roots for pool spot of attestation 2026-11"},
      {"roots.json with a root for a pool without one",
       [](PublishedAttestation& s) {
         s.roots.push_back(Listed("2026-11", "margin", std::string(64, 'e'), {"1", "1", "1"}, 20, Verdict::kError));
       },
       "roots.json lists a root of attestation 2026-11 for pool margin, which has none in attestation.json"},
      {"roots.json with another verdict", [](PublishedAttestation& s) { s.roots[0].verdict = Verdict::kPass; },
       "roots.json gives the verdict PASS, report.json ERROR"},
  };
  for (const Case& c : cases) {
    Site site;
    c.edit(site.published);
    const std::vector<std::string> mismatches = CrossCheckPublishedFiles(site.published);
    EXPECT_TRUE(Mentions(mismatches, c.expected)) << c.name << ": " << ::testing::PrintToString(mismatches);
  }
}

// ---- the plan ------------------------------------------------------------------------------------

TEST(RecheckPlan, SourcesByChainRootsAsPublishedBlocksPinnedByHash) {
  const Site site;
  clients::SourceConfig esplora(clients::SourceType::kEsplora, "https://esplora.example/api");
  clients::SourceConfig node(clients::SourceType::kEthereum, "https://node.example");
  auto plan = MakeRecheckPlan(site.published,
                              {{"bitcoin", esplora}, {"ethereum", node}, {"arbitrum", node}, {"ethereum", node}});
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  ASSERT_EQ(plan->config.chains.size(), 3u);
  EXPECT_EQ(plan->config.chains[1].sources.size(), 2u);
  EXPECT_EQ(plan->config.chains[1].sources[1].label, "ethereum source 2");
  ASSERT_EQ(plan->liabilities.size(), 2u);
  EXPECT_EQ(plan->liabilities[0].root, site.published.attestation.pools[0].root);
  EXPECT_FALSE(plan->liabilities[1].root.has_value());
  ASSERT_EQ(plan->problems.size(), 1u);  // a pool without a root cannot hold: never a PASS
  EXPECT_NE(plan->problems[0].line.find("pool margin: the published attestation has no root"), std::string::npos);
  EXPECT_EQ(plan->pinned_hashes.at("bitcoin"), std::string(64, '1'));
  EXPECT_EQ(plan->pinned_hashes.at("arbitrum"), "0x" + std::string(64, '3'));

  auto unknown = MakeRecheckPlan(site.published, {{"optimism", node}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("no chain \"optimism\" (its chains: bitcoin, ethereum, arbitrum)"),
            std::string::npos);
  auto wrong_type = MakeRecheckPlan(site.published, {{"bitcoin", node}});
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_NE(wrong_type.error().message.find("cannot serve chain bitcoin"), std::string::npos);
  auto missing = MakeRecheckPlan(site.published, {{"bitcoin", esplora}, {"ethereum", node}});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("no --source for chain arbitrum"), std::string::npos);
}

// ---- comparing reports ---------------------------------------------------------------------------

report::Report PassReport() {
  report::Report r;
  r.id = "2026-11";
  r.verdict = Verdict::kPass;
  report::PoolReport pool;
  pool.name = "spot";
  pool.holds = true;
  const merkle::AssetSpec btc{"BTC", 8};
  pool.assets = {{btc, 100, u128{150}, true}};
  pool.addresses = {{"bitcoin", "bc1qaddress", "p2wpkh", "bip322", report::Ownership::kValid, {{"BTC", u128{150}}}, std::nullopt}};
  r.pools = {pool};
  r.findings = {{report::Check::kSharedKey, "bc1qmultisig", "1 of the keys is a firm key", report::Severity::kInfo}};
  return r;
}

std::vector<std::string> Describe(const std::vector<Difference>& differences) {
  std::vector<std::string> out;
  for (const Difference& d : differences) {
    out.push_back(d.what + ": " + d.subject + ": " + d.detail + (d.definite ? "" : " (not definite)"));
  }
  return out;
}

TEST(RecheckCompare, TheSameReportHasNoDifference) {
  EXPECT_TRUE(CompareReports(PassReport(), PassReport()).empty());
  // Finding details may name other sources: only check, subject and severity are compared.
  report::Report rechecked = PassReport();
  rechecked.findings[0].detail = "said otherwise";
  EXPECT_TRUE(CompareReports(PassReport(), rechecked).empty());
}

TEST(RecheckCompare, ABalanceASignatureAndAFindingAreEachNamed) {
  report::Report rechecked = PassReport();
  rechecked.verdict = Verdict::kFail;
  rechecked.pools[0].holds = false;
  rechecked.pools[0].assets[0].reserves = u128{50};
  rechecked.pools[0].assets[0].covered = false;
  rechecked.pools[0].addresses[0].balances[0].amount = u128{50};
  rechecked.pools[0].addresses[0].ownership = report::Ownership::kInvalid;
  rechecked.findings.push_back(
      {report::Check::kCoverage, "pool spot BTC", "reserves 0.0000005 < liabilities 0.000001", report::Severity::kError});
  const std::vector<std::string> lines = Describe(CompareReports(PassReport(), rechecked));
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "verdict: attestation 2026-11: published PASS, re-checked FAIL",
                       "reserves: pool spot BTC: published 0.0000015, re-checked 0.0000005",
                       "coverage: pool spot BTC: published covered, re-checked not covered",
                       "balance: bc1qaddress: BTC at the pinned block: published 0.0000015, re-checked 0.0000005",
                       "ownership: bc1qaddress: ownership proof (bip322): published valid, re-checked invalid",
                       "finding-missing: pool spot BTC: the re-check finds error coverage: reserves 0.0000005 < "
                       "liabilities 0.000001; the published report does not",
                   }));
}

TEST(RecheckCompare, WhatAReCheckThatCouldNotCheckDoesNotFindIsNotDefinite) {
  report::Report rechecked = PassReport();
  rechecked.verdict = Verdict::kError;
  rechecked.problems = {{ProblemKind::kUnreachable, "bitcoin", 0, "", "", "", "bitcoin: bitcoin source 1 could not be reached"}};
  rechecked.findings.clear();
  rechecked.pools[0].assets[0].reserves.reset();
  rechecked.pools[0].assets[0].covered.reset();
  rechecked.pools[0].addresses[0].balances[0].amount.reset();
  rechecked.pools[0].addresses[0].ownership = report::Ownership::kCannotCheck;
  const auto differences = CompareReports(PassReport(), rechecked);
  EXPECT_EQ(
      Describe(differences),
      (std::vector<std::string>{
          "verdict: attestation 2026-11: published PASS, re-checked ERROR (not definite)",
          "ownership: bc1qaddress: ownership proof (bip322): published valid, re-checked cannot-check (not definite)",
          "finding-extra: bc1qmultisig: the published report has info shared-key: 1 of the keys is a firm key; the "
          "re-check does not find it (not definite)",
      }));
  EXPECT_EQ(DecideRecheckOutcome({}, rechecked, differences), RecheckOutcome::kCannotCheck);
  // A finding the re-check made is a fact, even when it could not check everything.
  rechecked.findings.push_back({report::Check::kBlockHash, "bitcoin block 870000", "another block", report::Severity::kError});
  const auto with_finding = CompareReports(PassReport(), rechecked);
  EXPECT_EQ(DecideRecheckOutcome({}, rechecked, with_finding), RecheckOutcome::kDiffers);
}

TEST(RecheckCompare, AddressesOnlyOnOneSideAreNamed) {
  report::Report rechecked = PassReport();
  rechecked.pools[0].addresses[0].address = "bc1qother";
  EXPECT_EQ(
      Describe(CompareReports(PassReport(), rechecked)),
      (std::vector<std::string>{"address: bc1qaddress: in the published report, not in the published attestation",
                                "address: bc1qother: in the published attestation, not in the published report"}));
}

TEST(RecheckOutcomeRules, ExitCodeRulesOfDesign) {
  report::Report pass = PassReport();
  report::Report fail = PassReport();
  fail.verdict = Verdict::kFail;
  EXPECT_EQ(DecideRecheckOutcome({}, pass, {}), RecheckOutcome::kHolds);
  EXPECT_EQ(DecideRecheckOutcome({}, fail, {}), RecheckOutcome::kDoesNotHold);
  EXPECT_EQ(DecideRecheckOutcome({"root differs"}, std::nullopt, {}), RecheckOutcome::kFilesDisagree);
  EXPECT_EQ(
      DecideRecheckOutcome({}, pass, {{"verdict", "attestation 2026-11", "published ERROR, re-checked PASS", true}}),
      RecheckOutcome::kDiffers);
  EXPECT_EQ(DecideRecheckOutcome({}, std::nullopt, {}), RecheckOutcome::kCannotCheck);
}

}  // namespace
}  // namespace segverify::attest
