// Pins verifier/server/status_page.* directly (the server and publish tests reach it only through
// HTTP and files): the page for each verdict and for no report, the badge, the embed script with
// its inline status, and the roots the page lists (docs/FORMAT.md §13; status.json is pinned by
// status_json_test.cpp).
#include "verifier/server/status_page.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/server/server_harness.h"
#include "tests/support/test_support.h"
#include "verifier/report/report_json.h"
#include "verifier/report/roots_json.h"

namespace segverify::server {
namespace {

using testing::TempDir;

class StatusPage : public testing::ReportsOfOneTree {};

std::string VerdictElement(const std::string& page) {
  const std::string open = "<strong id=\"verdict\">";
  const std::size_t at = page.find(open);
  if (at == std::string::npos) return "";
  return page.substr(at + open.size(), page.find('<', at + open.size()) - at - open.size());
}

TEST_F(StatusPage, EachVerdictIsShownWithTheProofCheckAndNoNodeUrl) {
  for (const std::string verdict : {"PASS", "FAIL", "ERROR"}) {
    SCOPED_TRACE(verdict);
    const report::Report shown = ReportOf(verdict);
    const std::string page = RenderStatusPage(&shown, "", {});
    EXPECT_EQ(VerdictElement(page), verdict);
    EXPECT_NE(page.find("id=\"proof\""), std::string::npos);
    EXPECT_NE(page.find("id=\"verify\""), std::string::npos);
    EXPECT_EQ(page.find(testing::kNodeUrl), std::string::npos) << "a node URL on the public page";
    EXPECT_EQ(page.find("127.0.0.1"), std::string::npos);
    EXPECT_EQ(page.find("http://10.1.2.3"), std::string::npos);
    EXPECT_EQ(page.find("pools[0]"), std::string::npos) << "a config path on the public page";
    EXPECT_EQ(page.find("src=\"/"), std::string::npos) << "absolute URLs break a site served from a subfolder";
    EXPECT_EQ(page.find("href=\"/"), std::string::npos);
  }
}

TEST_F(StatusPage, TheRecheckSectionAppearsOnlyWithAnAttestation) {
  const report::Report shown = ReportOf("PASS");
  EXPECT_EQ(RenderStatusPage(&shown, "", {}, false).find("href=\"attestation.json\""), std::string::npos);
  EXPECT_NE(RenderStatusPage(&shown, "", {}, true).find("href=\"attestation.json\""), std::string::npos);
}

TEST(StatusPageWithoutReport, SaysWhyInPlainWordsAndIsNeverAPass) {
  const std::string page = RenderStatusPage(nullptr, "report.json <is> missing", {});
  EXPECT_EQ(VerdictElement(page), "ERROR");
  EXPECT_NE(page.find("could not be checked"), std::string::npos);
  EXPECT_NE(page.find("report.json &lt;is&gt; missing"), std::string::npos) << "the reason, escaped";
  EXPECT_EQ(page.find("<is>"), std::string::npos);
}

TEST(StatusBadge, NamesVerdictAndIdInItsOwnColour) {
  const std::string pass = RenderBadgeSvg("PASS", "2026-11");
  const std::string fail = RenderBadgeSvg("FAIL", "2026-11");
  EXPECT_EQ(pass.rfind("<svg ", 0), 0u);
  EXPECT_NE(pass.find("PASS 2026-11"), std::string::npos);
  EXPECT_NE(fail.find("FAIL 2026-11"), std::string::npos);
  EXPECT_NE(pass, fail);
  const std::string hostile = RenderBadgeSvg("ERROR", "<script>x</script>");
  EXPECT_EQ(hostile.find("<script>"), std::string::npos) << "an id is text, never markup";
}

TEST(StatusEmbed, CarriesTheStatusInlineAsAsciiJson) {
  const std::string script = RenderEmbedScript("const status = /*SEGVERIFY_STATUS*/null; show(status);", "FAIL",
                                               "2026-11 \xc3\xa9t\xc3\xa9", "2026-11-01T00:00:00Z");
  EXPECT_EQ(script,
            "const status = {\"verdict\":\"FAIL\",\"id\":\"2026-11 \\u00E9t\\u00E9\",\"date\":\"2026-11-01T00:00:00Z\"}; "
            "show(status);");
  EXPECT_NE(RenderEmbedScript("x = /*SEGVERIFY_STATUS*/null;", "PASS", "a", "").find("\"date\":null"),
            std::string::npos);
}

TEST_F(StatusPage, RootsJsonReadsBackWhatItWrites) {
  std::vector<report::ListedRoot> roots = report::RootsOf(ReportOf("PASS"));
  ASSERT_EQ(roots.size(), 1u);
  EXPECT_EQ(roots[0].report_id, "2026-11");
  EXPECT_EQ(roots[0].pool, "spot");
  EXPECT_EQ(roots[0].hash, tree_->root_hash);
  EXPECT_EQ(roots[0].verdict, report::Verdict::kPass);
  EXPECT_EQ(roots[0].attested_at, "2026-11-01T00:00:00Z");
  // A replaced run's root (docs/FORMAT.md §13) travels in "superseded" with its time.
  report::ListedRoot replaced = roots[0];
  replaced.hash = std::string(64, 'b');
  replaced.verdict = report::Verdict::kError;
  replaced.superseded_at = "2026-11-03T09:12:00Z";
  const std::string json = report::RootsToJson(report::PublishedRoots{roots, {replaced}});
  auto back = report::ParsePublishedRoots(json, "roots.json");
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->current.size(), 1u);
  ASSERT_EQ(back->superseded.size(), 1u);
  EXPECT_EQ(back->superseded[0].superseded_at, "2026-11-03T09:12:00Z");
  EXPECT_EQ(report::RootsToJson(*back), json);
  EXPECT_EQ(back->current[0].hash, tree_->root_hash);
}

}  // namespace
}  // namespace segverify::server
