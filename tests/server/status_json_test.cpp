// status.json, the one model (verifier/server/status_json.h, docs/FORMAT.md §14): the public view
// written and read back, the document without a report, documents written by hand (the report of
// server_harness.h in the status format, and FORMAT.md's document without a report), and what the
// reader refuses.
#include "verifier/server/status_json.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/server/server_harness.h"
#include "tests/support/test_support.h"
#include "verifier/report/public_view.h"
#include "verifier/report/report_json.h"

namespace segverify::server {
namespace {

using testing::TempDir;

class StatusJson : public testing::ReportsOfOneTree {};

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

TEST_F(StatusJson, IsThePublicViewInTheStatusFormat) {
  const std::string json = StatusToJson({ReportOf("ERROR"), ""});
  auto doc = ParseJson(json, "status.json");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  EXPECT_STREQ((**doc)["format"].GetString(), "segverify-status/1");
  EXPECT_STREQ((**doc)["verdict"].GetString(), "ERROR");
  EXPECT_STREQ((**doc)["chains"]["ethereum"]["sources"][0].GetString(), "ethereum source 1");
  EXPECT_STREQ((**doc)["chains"]["bitcoin"]["sources"][1].GetString(), "bitcoin source 2");
  EXPECT_EQ(json.find(testing::kNodeUrl), std::string::npos);
  EXPECT_EQ(json.find("pools[0]"), std::string::npos);
}

TEST_F(StatusJson, ReadsBackThePublicViewItWrote) {
  for (const std::string verdict : {"PASS", "FAIL", "ERROR"}) {
    SCOPED_TRACE(verdict);
    const report::Report shown = ReportOf(verdict);
    const std::string json = StatusToJson({shown, ""});
    auto back = ParseStatusJson(json, "status.json");
    ASSERT_TRUE(back.ok()) << back.error().message;
    ASSERT_TRUE(back->report.has_value());
    EXPECT_EQ(*back->report, report::PublicReport(shown));
    EXPECT_EQ(StatusToJson(*back), json);
  }
}

TEST(StatusJsonWithoutReport, IsErrorWithItsReasonBothWays) {
  const std::string json = StatusToJson({std::nullopt, "no report.json in DIR"});
  auto doc = ParseJson(json, "status.json");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  EXPECT_STREQ((**doc)["format"].GetString(), "segverify-status/1");
  EXPECT_TRUE((**doc)["id"].IsNull());
  EXPECT_STREQ((**doc)["verdict"].GetString(), "ERROR");
  EXPECT_STREQ((**doc)["error"].GetString(), "no report.json in DIR");
  EXPECT_EQ((**doc)["pools"].Size(), 0u);
  auto back = ParseStatusJson(json, "status.json");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_FALSE(back->report.has_value());
  EXPECT_EQ(back->error, "no report.json in DIR");
}

TEST(StatusJsonWithoutReport, ReadsTheDocumentOfTheFormatSpecification) {
  // docs/FORMAT.md §14, with its "…" filled in.
  const std::string spec =
      R"({"format":"segverify-status/1","id":null,"verdict":"ERROR","error":"no report.json in DIR","chains":{},"pools":[],"findings":[]})";
  auto status = ParseStatusJson(spec, "status.json");
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_FALSE(status->report.has_value());
  EXPECT_EQ(status->error, "no report.json in DIR");
  // Without a report it can only be ERROR, and holds nothing else.
  const std::pair<std::string, std::string> broken[] = {
      {R"("verdict":"ERROR")", R"("verdict":"PASS")"},
      {R"("pools":[])", R"("pools":[{}])"},
      {R"("chains":{})", R"("chains":{"bitcoin":{}})"},
      {R"("findings":[])", R"("findings":[],"extra":1)"},
      {R"("error":"no report.json in DIR")", R"("error":3)"},
      {R"(segverify-status/1)", R"(segverify-report/1)"},
  };
  for (const auto& [from, to] : broken) {
    EXPECT_FALSE(ParseStatusJson(Replace(spec, from, to), "status.json").ok()) << to;
  }
}

TEST_F(StatusJson, ReadsAReportWrittenByHandInTheStatusFormat) {
  // server_harness.h's report.json (written by hand from FORMAT.md §8) as the public sees it.
  std::string text = Replace(ReportText("PASS"), "segverify-report/1", "segverify-status/1");
  text = Replace(text, testing::kBitcoinNodeUrl, "bitcoin source 1");
  text = Replace(text, testing::kNodeUrl, "ethereum source 1");
  auto status = ParseStatusJson(text, "status.json");
  ASSERT_TRUE(status.ok()) << status.error().message;
  ASSERT_TRUE(status->report.has_value());
  EXPECT_EQ(status->report->id, "2026-11");
  EXPECT_EQ(status->report->verdict, report::Verdict::kPass);
  ASSERT_EQ(status->report->pools.size(), 1u);
  EXPECT_EQ(status->report->chains[0].sources[0], "bitcoin source 1");
  // A report.json is not a status.json, and a PASS its contents contradict is refused.
  EXPECT_FALSE(ParseStatusJson(ReportText("PASS"), "status.json").ok());
  EXPECT_FALSE(ParseStatusJson(Replace(text, R"("covered":true)", R"("covered":false)"), "status.json").ok());
}

}  // namespace
}  // namespace segverify::server
