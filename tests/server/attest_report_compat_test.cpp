// The status server reads what `segverify attest` writes: reports rendered by
// attest::ReportToJson (verifier/attest/report.h) — a PASS one, and an ERROR one with the nulls
// attest writes for what it could not establish — are accepted and served as they say.
#include <gtest/gtest.h>

#include "verifier/report/report.h"
#include "verifier/server/status_json.h"
#include "verifier/server/status_report.h"

namespace segverify::server {
namespace {

attest::Report MakeAttestReport() {
  attest::Report report;
  report.id = "2026-11";
  report.message = "Example Exchange attestation 2026-11: client assets";
  report.verdict = attest::Verdict::kPass;
  report.chains.push_back({"ethereum", "block", 21000000, "0x" + std::string(64, 'a'), {"ethereum"}});
  report.chains.push_back({"bitcoin", "height", 870000, std::string(64, 'b'), {"bitcoin-core", "esplora"}});
  attest::PoolReport pool;
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
  pool.holds = true;
  report.pools.push_back(pool);
  report.findings.push_back({"shared-key", "02ab", "one key of a 2-of-3", attest::Severity::kInfo});
  report.config_sha256 = std::string(64, '0');
  return report;
}

TEST(AttestReportCompat, PassReportIsServedAsPass) {
  auto parsed = ParseStatusReport(attest::ReportToJson(MakeAttestReport()), "report.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->verdict, ReportVerdict::kPass);
  ASSERT_TRUE(parsed->pools.at(0).root.has_value());
  EXPECT_EQ(parsed->pools[0].root->sums, (std::vector<std::string>{"1.50000001", "4.25"}));
  EXPECT_EQ(parsed->pools[0].assets.at(0).reserves, "2");
  EXPECT_EQ(parsed->pools[0].assets.at(1).decimals, 18);
  EXPECT_EQ(parsed->chains.size(), 2u);
  EXPECT_NE(StatusToJson(*parsed).find("\"verdict\":\"PASS\""), std::string::npos);
}

TEST(AttestReportCompat, ErrorReportWithNullsIsServedAsError) {
  attest::Report report = MakeAttestReport();
  report.verdict = attest::Verdict::kError;
  report.chains[0].block_hash.clear();  // sources did not agree: written as null
  report.pools[0].root.reset();
  report.pools[0].assets[1].reserves.reset();
  report.pools[0].assets[1].covered = false;
  report.errors.push_back("ethereum: node unreachable");
  auto parsed = ParseStatusReport(attest::ReportToJson(report), "report.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->verdict, ReportVerdict::kError);
  EXPECT_FALSE(parsed->pools[0].root.has_value());
  EXPECT_FALSE(parsed->chains[0].block_hash.has_value());
  EXPECT_EQ(parsed->errors, (std::vector<std::string>{"ethereum: node unreachable"}));
}

TEST(AttestReportCompat, PassWithUnestablishedFieldsIsRefused) {
  attest::Report report = MakeAttestReport();
  report.pools[0].root.reset();
  EXPECT_FALSE(ParseStatusReport(attest::ReportToJson(report), "report.json").ok());
}

}  // namespace
}  // namespace segverify::server
