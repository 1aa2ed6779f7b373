// report.json, the one model (verifier/report): what attest writes reads back as the same value,
// a verdict its contents contradict is refused (a served PASS is always backed), and malformed
// fields are errors naming the field (docs/FORMAT.md §8).
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "verifier/report/report_json.h"

namespace segverify::report {
namespace {

Report MakePassReport() {
  Report r;
  r.id = "2026-11";
  r.message = "Example Exchange attestation 2026-11: client assets";
  r.verdict = Verdict::kPass;
  r.chains.push_back({"ethereum", Chain::kEthereum, 21000000, "0x" + std::string(64, 'a'), "2024-10-18T00:00:11Z", {"http://127.0.0.1:8545"}, "proven", {"eth_call answers"}, {{"USDT", {1, "solidity"}}}});
  r.chains.push_back({"bitcoin", Chain::kBitcoin, 870000, std::string(64, 'b'), std::nullopt, {"http://127.0.0.1:8332", "http://127.0.0.1:3000"}, std::nullopt, {}, {}});
  PoolReport pool;
  pool.name = "spot";
  pool.accounts = 3;
  merkle::PublishedRoot root;
  root.assets = {{"BTC", 8}, {"ETH", 18}};
  root.height = 2;
  root.hash.fill(0xcd);
  root.sums = {150000001, 4250000000000000000};
  pool.root = root;
  pool.assets.push_back({{"BTC", 8}, 150000001, u128{200000000}, true});
  pool.assets.push_back({{"ETH", 18}, 4250000000000000000, u128{4250000000000000000}, true});
  pool.addresses.push_back(
      {"bitcoin", "bc1qexample", "p2wpkh", "bip322", report::Ownership::kValid, {{"BTC", u128{200000000}}}, std::nullopt});
  pool.addresses.push_back({"ethereum", "0xAbC", "eoa", "eip191", report::Ownership::kValid, {{"ETH", std::nullopt}}, std::nullopt});
  VaultReport safe{.kind = "safe",
                   .version = "1.4.1",
                   .singleton = "0x4167",
                   .owners = {"0xA1", "0xB2", "0xC3"},
                   .threshold = 3,
                   .modules = {},
                   .firm_owners = {"0xA1"},
                   .contract_owners = {"0xC3"},
                   .guard = std::nullopt,
                   .fallback_handler = "0xFd07",
                   .fallback_handler_check = "official",
                   .setup = SafeSetupReport{12, std::nullopt, "no-initializer", "agreed"}};
  pool.addresses.push_back({"ethereum", "0xSafe", "contract", "erc1271", report::Ownership::kValid, {{"ETH", u128{5}}}, safe});
  pool.holds = true;
  r.pools.push_back(pool);
  r.firm_addresses.push_back({"bitcoin", "1Firm", "p2pkh", "bip137", report::Ownership::kValid, {}, std::nullopt});
  // A firm contract that is no recognized Safe: reported, never judged (a pool one could not PASS).
  VaultReport unknown;
  unknown.kind = "unknown";
  r.firm_addresses.push_back({"ethereum", "0xOther", "contract", "erc1271", report::Ownership::kValid, {}, unknown});
  r.findings.push_back({report::Check::kSharedKey, "02ab", "one key of a 2-of-3", Severity::kInfo});
  r.config_sha256 = std::string(64, '0');
  r.liabilities_sha256 = {{"spot", std::string(64, '1')}};
  r.tool_version = "0.1.0";
  return r;
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(ReportJson, RoundTripsExactly) {
  const Report original = MakePassReport();
  const std::string json = ReportToJson(original);
  auto parsed = ParseReport(json, "report.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(*parsed, original);
  EXPECT_EQ(ReportToJson(*parsed), json);
}

TEST(ReportJson, WritesAmountsInWholeUnitsAndTheDesignFields) {
  const std::string json = ReportToJson(MakePassReport(), {.pretty = false});
  for (const char* expected :
       {R"("format":"segverify-report/1")", R"("sums":["1.50000001","4.25"])", R"("liabilities":"4.25")",
        R"("reserves":"2")", R"("block":21000000)", R"("height":870000)", R"("severity":"info")",
        R"("balances":{"ETH":null})", R"("config_sha256":")", R"("block_time":"2024-10-18T00:00:11Z")",
        R"("block_time":null)", R"("covered":true)",
        R"("vault":{"kind":"safe","version":"1.4.1","singleton":"0x4167","owners":["0xA1","0xB2","0xC3"],"threshold":3,"modules":[],"firm_owners":["0xA1"],"contract_owners":["0xC3"],"guard":null,"fallback_handler":"0xFd07","fallback_handler_check":"official","setup":{"block":12,"initializer":null,"check":"no-initializer","reads":"agreed"}})",
        R"("vault":{"kind":"unknown"})"}) {
    EXPECT_NE(json.find(expected), std::string::npos) << expected << " in " << json;
  }
  EXPECT_NE(ReportToJson(MakePassReport(), {.format = "segverify-status/1"}).find("segverify-status/1"), std::string::npos);
}

TEST(ReportJson, ErrorReportWithNullsRoundTrips) {
  Report r = MakePassReport();
  r.verdict = Verdict::kError;
  r.chains[0].block_hash.reset();
  r.pools[0].root.reset();
  r.pools[0].holds = false;
  r.pools[0].assets[1].reserves.reset();
  r.pools[0].assets[1].covered.reset();
  r.pools[0].assets[0].covered.reset();  // no root: liabilities unknown
  r.problems.push_back({ProblemKind::kUnreachable, "ethereum", 0, "", "", "node unreachable", "ethereum: node unreachable"});
  r.problems.push_back({ProblemKind::kOverflow, "", std::nullopt, "spot", "ETH", "", "pool spot ETH: overflow"});
  auto parsed = ParseReport(ReportToJson(r), "report.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(*parsed, r);
}

// Untrusted text (a node's error, a finding's subject) reaches report.json printable, and an error
// of any length is cut so that the report still reads back (a 100 KB error once made `publish`
// refuse the report and keep the old page).
TEST(ReportJson, UntrustedTextIsWrittenPrintableAndCut) {
  Report r = MakePassReport();
  r.verdict = Verdict::kError;
  Problem echoed;
  echoed.detail = "node says \r\x1b[2Kvalid: PASS";
  echoed.line = "ethereum: " + echoed.detail;
  Problem long_one;
  long_one.detail = std::string(100000, 'x');
  long_one.line = long_one.detail;
  r.problems = {echoed, long_one};
  const std::string json = ReportToJson(r);
  EXPECT_EQ(json.find('\x1b'), std::string::npos);
  EXPECT_EQ(json.find("\\u001b"), std::string::npos) << "JSON-escaped but still raw once decoded";
  EXPECT_NE(json.find("node says \\\\r\\\\x1b[2Kvalid"), std::string::npos) << json.substr(0, 2000);
  auto parsed = ParseReport(json, "report.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->problems.size(), 2u);
  EXPECT_EQ(parsed->problems[1].line, std::string(600, 'x') + "...");
  EXPECT_EQ(parsed->problems[1].detail, std::string(600, 'x') + "...");
  EXPECT_EQ(ReportToJson(*parsed), json);  // read back and written again: unchanged

  // The same with text that grows when escaped (ESC shows as four characters): still unchanged.
  long_one.detail = std::string(1000, '\x1b');
  long_one.line = "source: " + long_one.detail;
  r.problems = {long_one};
  const std::string escaped = ReportToJson(r);
  auto escaped_parsed = ParseReport(escaped, "report.json");
  ASSERT_TRUE(escaped_parsed.ok()) << escaped_parsed.error().message;
  EXPECT_EQ(ReportToJson(*escaped_parsed), escaped);
}

TEST(ReportJson, VerdictsTheContentsContradictAreRefused) {
  struct Case {
    const char* what;
    void (*edit)(Report&);
    const char* says;
  };
  const Case cases[] = {
      {"uncovered asset", [](Report& r) { r.pools[0].assets[0].covered = false; }, "not below"},
      {"covered below liabilities", [](Report& r) { r.pools[0].assets[0].reserves = 1; }, "below"},
      {"covered, reserves unknown", [](Report& r) { r.pools[0].assets[0].reserves.reset(); }, "exactly when"},
      {"holds with an uncovered asset",
       [](Report& r) {
         r.pools[0].assets[0].reserves = 1;
         r.pools[0].assets[0].covered = false;
       },
       "every asset"},
      {"error finding", [](Report& r) { r.findings.push_back({report::Check::kOverlap, "0x1", "d", Severity::kError}); }, "FAIL"},
      {"no root", [](Report& r) { r.pools[0].root.reset(); }, "exactly when"},
      {"no block hash", [](Report& r) { r.chains[1].block_hash.reset(); }, "block hash"},
      {"no pools", [](Report& r) { r.pools.clear(); }, "no pools"},
      {"errors", [](Report& r) { r.problems.push_back({ProblemKind::kOther, "", std::nullopt, "", "", "", "node down"}); }, "ERROR"},
      {"FAIL that holds", [](Report& r) { r.verdict = Verdict::kFail; }, "PASS"},
      {"pool contract not a Safe", [](Report& r) { r.pools[0].addresses[2].vault->kind = "unknown"; }, "not a recognized vault"},
      {"pool contract without vault", [](Report& r) { r.pools[0].addresses[2].vault.reset(); }, "not a recognized vault"},
      {"vault module", [](Report& r) { r.pools[0].addresses[2].vault->modules = {"0xD4"}; }, "module"},
      {"firm and contract owners at the threshold", [](Report& r) { r.pools[0].addresses[2].vault->threshold = 2; },
       "threshold"},
      {"ethereum address of unknown type", [](Report& r) { r.pools[0].addresses[1].type = "unknown"; }, "contract or an EOA"},
  };
  for (const Case& c : cases) {
    Report r = MakePassReport();
    c.edit(r);
    auto parsed = ParseReport(ReportToJson(r), "report.json");
    ASSERT_FALSE(parsed.ok()) << c.what;
    EXPECT_NE(parsed.error().message.find("verdict"), std::string::npos) << parsed.error().message;
    EXPECT_NE(parsed.error().message.find(c.says), std::string::npos) << c.what << ": " << parsed.error().message;
  }
}

// The family, not the name: a pool address on any EVM chain (here Arbitrum One, chain id 42161)
// whose type was never read could be a contract nobody looked at, so a PASS beside it is refused
// just as on Ethereum. (Comparing the chain's name with "ethereum" let this one through.)
TEST(ReportJson, APassBesideAnEvmAddressOfUnknownTypeIsRefusedOnEveryEvmChain) {
  Report r = MakePassReport();
  r.chains.push_back({"arbitrum", Chain::kEthereum, 300000000, "0x" + std::string(64, 'c'), std::nullopt, {"http://127.0.0.1:8547"}, "proven", {}, {}});
  r.pools[0].addresses.push_back(
      {"arbitrum", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "unknown", "eip191", report::Ownership::kValid, {}, std::nullopt});
  auto contradiction = VerdictContradiction(r);
  ASSERT_TRUE(contradiction.has_value());
  EXPECT_NE(contradiction->find("not known to be a contract or an EOA"), std::string::npos) << *contradiction;
  auto parsed = ParseReport(ReportToJson(r), "report.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("0x5FbDB2315678afecb367f032d93F642f64180aa3"), std::string::npos)
      << parsed.error().message;
  // Known to be an EOA, the same address stands beside a PASS; a bitcoin address has no such type.
  r.pools[0].addresses.back().type = "eoa";
  EXPECT_EQ(VerdictContradiction(r), std::nullopt);
  EXPECT_EQ(FamilyOf(r, r.pools[0].addresses.back()), Chain::kEthereum);
  EXPECT_EQ(FamilyOf(r, r.pools[0].addresses[0]), Chain::kBitcoin);
}

// Problems are values: report.json keeps each one's line in `errors` (the words every reader
// knows) and its fields in `problems`; a report written before `problems` existed still reads, each
// line a problem of kind "other"; `problems` that do not match `errors` are refused.
TEST(ReportJson, ProblemsRoundTripAndOldReportsStillRead) {
  Report r = MakePassReport();
  r.verdict = Verdict::kError;
  r.problems = {{ProblemKind::kTimedOut, "bitcoin", 1, "", "", "no complete answer within the deadline of 60 s", "bitcoin: bitcoin source 2 (http://127.0.0.1:3000): no complete answer within the deadline of 60 s"}};
  const std::string json = ReportToJson(r, {.pretty = false});
  EXPECT_NE(json.find(R"("errors":["bitcoin: bitcoin source 2 (http://127.0.0.1:3000): no complete)"), std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("problems":[{"kind":"timed-out","chain":"bitcoin","source":1,"subject":"","asset":"",)"),
            std::string::npos)
      << json;
  auto parsed = ParseReport(json, "report.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(*parsed, r);

  const std::string old = Replace(json, json.substr(json.find(R"(,"problems":[)"), json.find(R"(,"inputs")") - json.find(R"(,"problems":[)")), "");
  auto old_parsed = ParseReport(old, "report.json");
  ASSERT_TRUE(old_parsed.ok()) << old_parsed.error().message;
  ASSERT_EQ(old_parsed->problems.size(), 1u);
  EXPECT_EQ(old_parsed->problems[0].kind, ProblemKind::kOther);
  EXPECT_EQ(old_parsed->problems[0].line, r.problems[0].line);

  for (const auto& [from, to, says] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {R"("kind":"timed-out")", R"("kind":"slow")", "unknown problem kind"},
           {R"("source":1)", R"("source":2)", "not a source of chain"},
           {R"("errors":["bitcoin)", R"("errors":["x","bitcoin)", "lists 1 problems, but errors lists 2"}}) {
    auto bad = ParseReport(Replace(json, from, to), "report.json");
    ASSERT_FALSE(bad.ok()) << to;
    EXPECT_NE(bad.error().message.find(says), std::string::npos) << bad.error().message;
  }
}

TEST(ReportJson, MalformedFieldsAreNamed) {
  const std::string good = ReportToJson(MakePassReport(), {.pretty = false});
  struct Case {
    std::string from, to, field;
  };
  const Case cases[] = {
      {R"("verdict":"PASS")", R"("verdict":"OK")", "verdict"},
      {"segverify-report/1", "segverify-report/9", "format"},
      {R"("id":"2026-11")", R"("id":"")", "id"},
      {R"("hash":"cdcd)", R"("hash":"cd)", "pools[0].root.hash"},
      {R"("height":2)", R"("height":0)", "pools[0].root.height"},
      {R"("reserves":"2")", R"("reserves":"-2")", "reserves"},
      {R"("liabilities":"4.25")", R"("liabilities":"5e1")", "liabilities"},
      {R"("liabilities":"1.50000001")", R"("liabilities":"1.500000011")", "liabilities"},
      {R"("block_hash":"0x)", R"("block_hash":"0xzz)", "block_hash"},
      {R"("covered":true)", R"("covered":"yes")", "covered"},
      {R"("severity":"info")", R"("severity":"warning")", "severity"},
      {R"("findings":[)", R"("findingz":[)", "findings"},
      {R"("balances":{"BTC")", R"("balances":{"DOGE")", "DOGE"},
      {R"("detail":"one key)", "\"detail\":\"\\u0007one key", "control character"},
  };
  for (const Case& c : cases) {
    auto parsed = ParseReport(Replace(good, c.from, c.to), "runs/x/report.json");
    ASSERT_FALSE(parsed.ok()) << "accepted with " << c.to;
    EXPECT_NE(parsed.error().message.find(c.field), std::string::npos) << parsed.error().message;
    EXPECT_EQ(parsed.error().message.rfind("runs/x/report.json", 0), 0u) << parsed.error().message;
  }
}

TEST(ReportJson, DeepJsonIsAnErrorNotACrash) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_FALSE(ParseReport(deep, "report.json").ok());
}

TEST(ReportVerdict, DecidedFromTheContents) {
  Report r = MakePassReport();
  EXPECT_EQ(DecideVerdict(r), Verdict::kPass);
  r.findings.push_back({report::Check::kCoverage, "pool spot ETH", "short", Severity::kError});
  EXPECT_EQ(DecideVerdict(r), Verdict::kFail);
  r.problems.push_back({ProblemKind::kUnreachable, "bitcoin", std::nullopt, "", "", "", "bitcoin: node down"});
  EXPECT_EQ(DecideVerdict(r), Verdict::kError);
  r = MakePassReport();
  r.pools[0].holds = false;
  EXPECT_EQ(DecideVerdict(r), Verdict::kFail);
}

}  // namespace
}  // namespace segverify::report
