// ParseStatusReport: what the server accepts from report.json (DESIGN.md "report.json" and
// "Precise rules → report.json"), and that a PASS contradicted by the report's contents is refused.
#include <string>

#include <gtest/gtest.h>

#include "verifier/server/status_report.h"

namespace segverify::server {
namespace {

const std::string kHash(64, 'b');

std::string Report(const std::string& verdict, const std::string& covered = "true",
                   const std::string& reserves = "55", const std::string& findings = "[]") {
  return "{\"format\":\"segverify-report/1\",\"id\":\"2026-11\",\"verdict\":\"" + verdict + "\","
         "\"chains\":{\"ethereum\":{\"block\":21000000,\"block_hash\":\"0x" + std::string(64, 'c') +
         "\",\"sources\":[\"http://node\"]}},"
         "\"pools\":[{\"name\":\"spot\",\"root\":{\"hash\":\"" + kHash + "\",\"sums\":[\"50\"],\"height\":20},"
         "\"assets\":[{\"symbol\":\"ETH\",\"liabilities\":\"50\",\"reserves\":\"" + reserves +
         "\",\"covered\":" + covered + "}]}],"
         "\"findings\":" + findings + ",\"inputs\":{\"config_sha256\":\"00\"}}";
}

TEST(StatusReport, ReadsTheDesignExample) {
  auto report = ParseStatusReport(Report("PASS"), "report.json");
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->id, "2026-11");
  EXPECT_EQ(report->verdict, ReportVerdict::kPass);
  ASSERT_EQ(report->chains.size(), 1u);
  EXPECT_EQ(report->chains[0].block, 21000000u);
  EXPECT_EQ(report->chains[0].block_key, "block");
  ASSERT_EQ(report->pools.size(), 1u);
  ASSERT_TRUE(report->pools[0].root.has_value());
  EXPECT_EQ(report->pools[0].root->height, 20u);
  EXPECT_EQ(report->pools[0].root->hash[0], 0xbb);
  EXPECT_EQ(report->pools[0].assets[0].reserves, "55");
  EXPECT_EQ(report->chains[0].block_hash, "0x" + std::string(64, 'c'));
  EXPECT_EQ(report->inputs_json, "{\"config_sha256\":\"00\"}");
}

TEST(StatusReport, FailWithUncoveredAssetIsAccepted) {
  auto report = ParseStatusReport(Report("FAIL", "false", "40"), "report.json");
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->verdict, ReportVerdict::kFail);
}

TEST(StatusReport, PassWithUncoveredAssetIsRefused) {
  auto report = ParseStatusReport(Report("PASS", "false", "40"), "report.json");
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message.find("not covered"), std::string::npos) << report.error().message;
}

TEST(StatusReport, CoveredWithReservesBelowLiabilitiesIsRefused) {
  auto report = ParseStatusReport(Report("FAIL", "true", "49.99"), "report.json");
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message.find("covered"), std::string::npos);
}

TEST(StatusReport, PassWithErrorFindingIsRefused) {
  auto report = ParseStatusReport(
      Report("PASS", "true", "55", R"([{"check":"overlap","subject":"0x1","detail":"d","severity":"error"}])"),
      "report.json");
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message.find("overlap"), std::string::npos);
}

TEST(StatusReport, PassWithInfoFindingIsAccepted) {
  auto report = ParseStatusReport(
      Report("PASS", "true", "55", R"([{"check":"shared-key","subject":"02ab","detail":"d","severity":"info"}])"),
      "report.json");
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->findings.at(0).severity, "info");
}

TEST(StatusReport, MalformedReportsNameTheField) {
  struct Case {
    std::string from, to, field;
  };
  const Case cases[] = {
      {"\"verdict\":\"PASS\"", "\"verdict\":\"OK\"", "verdict"},
      {"segverify-report/1", "segverify-report/9", "format"},
      {"\"id\":\"2026-11\"", "\"id\":\"\"", "id"},
      {"\"hash\":\"" + kHash, "\"hash\":\"" + kHash.substr(1), "pools[0].root.hash"},
      {"\"height\":20", "\"height\":0", "pools[0].root.height"},
      {"\"reserves\":\"55\"", "\"reserves\":\"-55\"", "reserves"},
      {"\"liabilities\":\"50\"", "\"liabilities\":\"5e1\"", "liabilities"},
      {"\"block_hash\":\"0x", "\"block_hash\":\"0xzz", "block_hash"},
      {"\"covered\":true", "\"covered\":\"yes\"", "covered"},
      {",\"findings\":[]", "", "findings"},
  };
  for (const Case& c : cases) {
    std::string text = Report("PASS");
    const std::size_t at = text.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    text.replace(at, c.from.size(), c.to);
    auto report = ParseStatusReport(text, "runs/x/report.json");
    ASSERT_FALSE(report.ok()) << "accepted with " << c.to;
    EXPECT_NE(report.error().message.find(c.field), std::string::npos) << report.error().message;
    EXPECT_EQ(report.error().message.rfind("runs/x/report.json", 0), 0u) << report.error().message;
  }
}

// attest writes null for what it could not establish; that is fine in an ERROR/FAIL report only.
TEST(StatusReport, NullsAreAcceptedOnlyWithoutPass) {
  const std::string nulls[][2] = {
      {"\"block_hash\":\"0x" + std::string(64, 'c') + "\"", "\"block_hash\":null"},
      {"\"root\":{\"hash\":\"" + kHash + "\",\"sums\":[\"50\"],\"height\":20}", "\"root\":null"},
  };
  for (const auto& [from, to] : nulls) {
    for (const std::string verdict : {"ERROR", "PASS"}) {
      std::string text = Report(verdict);
      ASSERT_NE(text.find(from), std::string::npos) << from;
      text.replace(text.find(from), from.size(), to);
      auto report = ParseStatusReport(text, "report.json");
      EXPECT_EQ(report.ok(), verdict == "ERROR") << to << " with " << verdict;
    }
  }
  auto unknown_reserves = ParseStatusReport(Report("ERROR", "false", "55").replace(
                                                Report("ERROR", "false", "55").find("\"55\""), 4, "null"),
                                            "report.json");
  ASSERT_TRUE(unknown_reserves.ok()) << unknown_reserves.error().message;
  EXPECT_FALSE(unknown_reserves->pools[0].assets[0].reserves.has_value());
  EXPECT_FALSE(ParseStatusReport(Report("ERROR", "true", "55").replace(Report("ERROR", "true", "55").find("\"55\""), 4, "null"),
                                 "report.json")
                   .ok())
      << "covered with unknown reserves";
}

TEST(StatusReport, DecimalsWhenGivenBoundTheAmounts) {
  auto replace = [](std::string text, const std::string& from, const std::string& to) {
    return text.replace(text.find(from), from.size(), to);
  };
  std::string text = replace(Report("FAIL", "false", "40"), "\"symbol\":\"ETH\"", "\"symbol\":\"ETH\",\"decimals\":1");
  auto one_decimal = ParseStatusReport(text, "report.json");
  EXPECT_TRUE(one_decimal.ok()) << one_decimal.error().message;
  text = replace(text, "\"reserves\":\"40\"", "\"reserves\":\"40.25\"");
  auto report = ParseStatusReport(text, "report.json");
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message.find("reserves"), std::string::npos) << report.error().message;
}

TEST(StatusReport, SourceCredentialsAreNeverShown) {
  std::string text = Report("PASS");
  const std::string from = "[\"http://node\"]";
  text.replace(text.find(from), from.size(),
               R"(["http://user:secret@127.0.0.1:8332/",{"type":"bitcoin-core","url":"http://u:p@h:1","auth":"user:secret"}])");
  auto report = ParseStatusReport(text, "report.json");
  ASSERT_TRUE(report.ok()) << report.error().message;
  const auto& sources = report->chains.at(0).sources;
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_EQ(sources[0], "\"http://***@127.0.0.1:8332/\"");
  EXPECT_EQ(sources[1], R"({"type":"bitcoin-core","url":"http://***@h:1"})");
}

TEST(StatusReport, DeepJsonIsAnErrorNotACrash) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_FALSE(ParseStatusReport(deep, "report.json").ok());
}

TEST(StatusReport, AmountTextComparison) {
  EXPECT_TRUE(IsAmountText("0.5"));
  EXPECT_TRUE(IsAmountText("007"));
  EXPECT_FALSE(IsAmountText("1."));
  EXPECT_FALSE(IsAmountText(".5"));
  EXPECT_FALSE(IsAmountText(""));
  EXPECT_FALSE(IsAmountText("1,5"));
  EXPECT_EQ(CompareAmountText("10", "9.999"), 1);
  EXPECT_EQ(CompareAmountText("0.50", "0.5"), 0);
  EXPECT_EQ(CompareAmountText("007", "7.000"), 0);
  EXPECT_EQ(CompareAmountText("0.00000001", "0.0000001"), -1);
  EXPECT_EQ(CompareAmountText("123456789012345678901234567890", "123456789012345678901234567891"), -1);
}

}  // namespace
}  // namespace segverify::server
