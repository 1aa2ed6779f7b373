// report.json, the one model (verifier/report): what attest writes reads back as the same value,
// a verdict its contents contradict is refused (a served PASS is always backed), and malformed
// fields are errors naming the field (docs/FORMAT.md §8).
#include <string>

#include <gtest/gtest.h>

#include "verifier/report/report_json.h"

namespace segverify::report {
namespace {

Report MakePassReport() {
  Report r;
  r.id = "2026-11";
  r.message = "Example Exchange attestation 2026-11: client assets";
  r.verdict = Verdict::kPass;
  r.chains.push_back({"ethereum", "block", 21000000, "0x" + std::string(64, 'a'), "2024-10-18T00:00:11Z", {"http://127.0.0.1:8545"}});
  r.chains.push_back({"bitcoin", "height", 870000, std::string(64, 'b'), std::nullopt, {"http://127.0.0.1:8332", "http://127.0.0.1:3000"}});
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
      {"bitcoin", "bc1qexample", "p2wpkh", "bip322", "valid", {{"BTC", u128{200000000}}}, std::nullopt});
  pool.addresses.push_back({"ethereum", "0xAbC", "eoa", "eip191", "valid", {{"ETH", std::nullopt}}, std::nullopt});
  VaultReport safe{.kind = "safe",
                   .version = "1.4.1",
                   .singleton = "0x4167",
                   .owners = {"0xA1", "0xB2", "0xC3"},
                   .threshold = 3,
                   .modules = {},
                   .firm_owners = {"0xA1"},
                   .contract_owners = {"0xC3"},
                   .guard = std::nullopt,
                   .fallback_handler = "0xFd07"};
  pool.addresses.push_back({"ethereum", "0xSafe", "contract", "erc1271", "valid", {{"ETH", u128{5}}}, safe});
  pool.holds = true;
  r.pools.push_back(pool);
  r.firm_addresses.push_back({"bitcoin", "1Firm", "p2pkh", "bip137", "valid", {}, std::nullopt});
  // A firm contract that is no recognized Safe: reported, never judged (a pool one could not PASS).
  VaultReport unknown;
  unknown.kind = "unknown";
  r.firm_addresses.push_back({"ethereum", "0xOther", "contract", "erc1271", "valid", {}, unknown});
  r.findings.push_back({"shared-key", "02ab", "one key of a 2-of-3", Severity::kInfo});
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
        R"("vault":{"kind":"safe","version":"1.4.1","singleton":"0x4167","owners":["0xA1","0xB2","0xC3"],"threshold":3,"modules":[],"firm_owners":["0xA1"],"contract_owners":["0xC3"],"guard":null,"fallback_handler":"0xFd07"})",
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
  r.errors.push_back("ethereum: node unreachable");
  auto parsed = ParseReport(ReportToJson(r), "report.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(*parsed, r);
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
      {"error finding", [](Report& r) { r.findings.push_back({"overlap", "0x1", "d", Severity::kError}); }, "FAIL"},
      {"no root", [](Report& r) { r.pools[0].root.reset(); }, "exactly when"},
      {"no block hash", [](Report& r) { r.chains[1].block_hash.reset(); }, "block hash"},
      {"no pools", [](Report& r) { r.pools.clear(); }, "no pools"},
      {"errors", [](Report& r) { r.errors.push_back("node down"); }, "ERROR"},
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
  r.findings.push_back({"coverage", "pool spot ETH", "short", Severity::kError});
  EXPECT_EQ(DecideVerdict(r), Verdict::kFail);
  r.errors.push_back("bitcoin: node down");
  EXPECT_EQ(DecideVerdict(r), Verdict::kError);
  r = MakePassReport();
  r.pools[0].holds = false;
  EXPECT_EQ(DecideVerdict(r), Verdict::kFail);
}

}  // namespace
}  // namespace segverify::report
