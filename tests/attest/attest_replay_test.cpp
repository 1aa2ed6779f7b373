// Reproducibility: a replay from the recorded evidence, with every node
// stopped, reaches the same verdict and writes a byte-identical report.json. Also: report.html
// renders in headless Chromium (tests/attest/render_report.mjs, playwright-core).
#include <gtest/gtest.h>

#include <string>

#include "tests/attest/sample_exchange_run.h"

namespace segverify::testing {
namespace {

TEST(AttestReplay, ReplayWithServersStoppedIsByteIdentical) {
  TempDir dir;
  AttestRun live = RunScenario("pass", dir);  // the servers are stopped when it returns
  ASSERT_EQ(live.result.exit_code, 0) << live.result.err;
  ASSERT_FALSE(live.report_text.empty());
  AttestRun replay = RunAttest({dir.File("servers/config.json"), "--out", dir.File("replayed"), "--replay",
                                dir.File("out/evidence"), "--quiet"});
  EXPECT_EQ(replay.result.exit_code, 0) << replay.result.err;
  EXPECT_EQ(replay.report_text, live.report_text);
  EXPECT_EQ(ReadFile(dir.File("replayed/pools/spot/root.json")), ReadFile(dir.File("out/pools/spot/root.json")));
  EXPECT_EQ(ReadFile(dir.File("replayed/attestation.json")), ReadFile(dir.File("out/attestation.json")));
}

// A FAIL is reproduced too, finding for finding.
TEST(AttestReplay, ReplayReproducesAFail) {
  TempDir dir;
  AttestRun live = RunScenario("under-coverage", dir);
  ASSERT_EQ(live.result.exit_code, 1) << live.result.err;
  AttestRun replay = RunAttest({dir.File("servers/config.json"), "--out", dir.File("replayed"), "--replay",
                                dir.File("out/evidence"), "--quiet"});
  EXPECT_EQ(replay.result.exit_code, 1) << replay.result.err;
  EXPECT_EQ(replay.report_text, live.report_text);
}

// Without the recording, a replay cannot answer: never a PASS.
TEST(AttestReplay, ReplayFromAnEmptyRecordingCannotCheck) {
  TempDir dir;
  AttestRun live = RunScenario("pass", dir);
  ASSERT_EQ(live.result.exit_code, 0) << live.result.err;
  std::filesystem::create_directories(dir.File("empty-evidence"));
  AttestRun replay = RunAttest({dir.File("servers/config.json"), "--out", dir.File("replayed"), "--replay",
                                dir.File("empty-evidence"), "--quiet"});
  EXPECT_EQ(replay.result.exit_code, 2) << replay.result.err;
  if (replay.report) {
    EXPECT_EQ(Verdict(*replay.report), "ERROR");
  }
}

TEST(AttestReportHtml, RendersInHeadlessChromium) {
  TempDir dir;
  AttestRun live = RunScenario("under-coverage", dir);
  ASSERT_EQ(live.result.exit_code, 1) << live.result.err;
  const std::string screenshot = BuildDir() + "/attest-report-under-coverage.png";
  CommandResult page = RunProgram("node", {SourcePath("tests/attest/render_report.mjs"), dir.File("out/report.html"),
                                           screenshot});
  ASSERT_EQ(page.exit_code, 0) << page.out << page.err;
  EXPECT_NE(page.out.find("verdict: FAIL"), std::string::npos) << page.out;
  EXPECT_NE(page.out.find("svg: yes"), std::string::npos) << page.out;
  EXPECT_NE(page.out.find("external requests: 0"), std::string::npos) << page.out;
  EXPECT_TRUE(FileExists(screenshot));
}

}  // namespace
}  // namespace segverify::testing
