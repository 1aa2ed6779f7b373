// `segverify publish --report DIR --out SITE` (docs/DESIGN.md §Public faces): the status site as
// static
// files with relative URLs, the public copy of report.json (sources named by index), the embed
// with the status inline, the history kept across publishes (ordered by block time), and the
// site written all or nothing: a failing run leaves SITE as it was, a foreign directory is never
// replaced, leftovers of killed runs are cleaned up.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "tests/server/server_harness.h"
#include "tests/support/process.h"
#include "tests/support/segverify_process.h"

namespace segverify::testing {
namespace {

namespace fs = std::filesystem;

class PublishTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tree_ = BuildTree(dir_.path(), "tree", "11");
    reports_ = dir_.File("reports");
    site_ = dir_.File("site");
    WriteReport(reports_, "2026-11", "PASS", tree_, "2026-11-01T00:00:00Z");
  }
  CommandResult Publish() { return RunSegverify({"publish", "--report", reports_, "--out", site_}); }
  std::set<std::string> Listing(const std::string& dir) const {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename().string());
    return names;
  }

  TempDir dir_;
  TreeFixture tree_;
  std::string reports_;
  std::string site_;
};

TEST_F(PublishTest, WritesTheWholeSite) {
  const CommandResult result = Publish();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("2026-11 (PASS)"), std::string::npos) << result.out;
  EXPECT_EQ(Listing(site_), (std::set<std::string>{".segverify-site", "index.html", "status.json", "roots.json",
                                                   "badge.svg", "embed.js", "report.json", "report.html", "style.css",
                                                   "app.js", "proof_check.js", "strict_json.js", "sha256.js",
                                                   "attestations"}));
  EXPECT_EQ(Listing(site_ + "/attestations/2026-11"), (std::set<std::string>{"report.json", "report.html"}));
  const std::string page = ReadFile(site_ + "/index.html");
  EXPECT_NE(page.find("<strong id=\"verdict\">PASS</strong>"), std::string::npos);
  EXPECT_EQ(page.find("src=\"/"), std::string::npos) << "relative URLs only";
  EXPECT_EQ(page.find("href=\"/"), std::string::npos) << "relative URLs only";
  EXPECT_NE(ReadFile(site_ + "/badge.svg").find("PASS 2026-11"), std::string::npos);
  const std::string embed = ReadFile(site_ + "/embed.js");
  EXPECT_NE(embed.find(R"({"verdict":"PASS","id":"2026-11","date":"2026-11-01T00:00:00Z"})"), std::string::npos);
  // ASCII only: it reads the same whatever charset the host page or the web server announce.
  EXPECT_TRUE(std::all_of(embed.begin(), embed.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
  auto roots = RootsList(ReadFile(site_ + "/roots.json"));
  ASSERT_EQ(roots->Size(), 1u);
  EXPECT_EQ(std::string((*roots)[0]["hash"].GetString()), tree_.root_hash);
  EXPECT_STREQ((*roots)[0]["verdict"].GetString(), "PASS");
  EXPECT_STREQ((*roots)[0]["attested_at"].GetString(), "2026-11-01T00:00:00Z");
}

// The same bytes as serve: one site, two ways of putting it online.
TEST_F(PublishTest, PublishedFilesAreWhatServeAnswers) {
  ASSERT_EQ(Publish().exit_code, 0);
  TempDir state;
  RunningServer server(reports_, [&](server::ServerOptions& o) { o.history_path = state.File("h.sqlite"); });
  for (const std::string name : {"index.html", "status.json", "roots.json", "badge.svg", "embed.js", "report.json",
                                 "report.html", "style.css", "app.js"}) {
    EXPECT_EQ(server.Get("/" + name).body, ReadFile(site_ + "/" + name)) << name;
  }
}

// The public copy of report.json: still a valid report (the reader takes it), sources named by
// index, no node URL, no config path; the operator's report.json in DIR keeps its URLs.
TEST_F(PublishTest, ThePublicReportNamesSourcesByIndex) {
  WriteReport(reports_, "2026-11", "ERROR", tree_);
  ASSERT_EQ(Publish().exit_code, 0);
  const std::string published = ReadFile(site_ + "/report.json");
  EXPECT_EQ(published.find(kNodeUrl), std::string::npos);
  EXPECT_EQ(published.find("10.1.2.3"), std::string::npos);
  EXPECT_EQ(published.find("pools[0]"), std::string::npos);
  EXPECT_NE(published.find("\"bitcoin source 2\""), std::string::npos);
  EXPECT_NE(published.find("ethereum source 1 could not be reached"), std::string::npos);
  EXPECT_NE(ReadFile(reports_ + "/report.json").find(kNodeUrl), std::string::npos);
  for (const std::string name : {"index.html", "report.html", "status.json", "embed.js", "roots.json"}) {
    const std::string text = ReadFile(site_ + "/" + name);
    // (embed.js's code holds the words of every verdict; what it shows is its inline status.)
    if (name != "embed.js") {
      EXPECT_EQ(text.find("does not hold"), std::string::npos) << name;
    }
    EXPECT_EQ(text.find("127.0.0.1"), std::string::npos) << name;
    EXPECT_EQ(text.find("10.1.2.3"), std::string::npos) << name;
    EXPECT_EQ(text.find("pools[0]"), std::string::npos) << name;
  }
}

TEST_F(PublishTest, KeepsTheHistoryOfTheSiteItReplacesOrderedByBlockTime) {
  ASSERT_EQ(Publish().exit_code, 0);
  const TreeFixture later = BuildTree(dir_.path(), "later", "22");
  // An id that sorts before "2026-11" as text, pinned a month later.
  WriteReport(reports_, "2026-9b", "FAIL", later, "2026-12-01T00:00:00Z");
  ASSERT_EQ(Publish().exit_code, 0);
  auto roots = RootsList(ReadFile(site_ + "/roots.json"));
  ASSERT_EQ(roots->Size(), 2u);
  EXPECT_STREQ((*roots)[0]["id"].GetString(), "2026-9b");
  EXPECT_STREQ((*roots)[0]["verdict"].GetString(), "FAIL");
  EXPECT_STREQ((*roots)[1]["id"].GetString(), "2026-11");
  EXPECT_STREQ((*roots)[1]["verdict"].GetString(), "PASS");
  const std::string page = ReadFile(site_ + "/index.html");
  EXPECT_NE(page.find("<strong id=\"verdict\">FAIL</strong>"), std::string::npos);
  EXPECT_NE(page.find("1 December 2026"), std::string::npos);
  EXPECT_NE(page.find("1 November 2026"), std::string::npos);
  // Publishing the same report again adds nothing.
  ASSERT_EQ(Publish().exit_code, 0);
  EXPECT_EQ(RootsList(ReadFile(site_ + "/roots.json"))->Size(), 2u);
}

// The issue's case: 2026-11 ended ERROR, was fixed and run again under the same id. The site then
// holds one run of 2026-11: the earlier run's roots move to "superseded" with the time, and the
// count of attestations says 1 (docs/FORMAT.md "roots.json").
TEST_F(PublishTest, ARerunUnderTheSameIdSupersedesTheEarlierRun) {
  WriteReport(reports_, "2026-11", "ERROR", tree_, "2026-11-01T00:00:00Z");
  ASSERT_EQ(Publish().exit_code, 0);
  const TreeFixture rerun = BuildTree(dir_.path(), "rerun", "33");
  WriteReport(reports_, "2026-11", "PASS", rerun, "2026-11-01T00:00:00Z");
  const CommandResult result =
      RunSegverify({"publish", "--report", reports_, "--out", site_});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("1 attestation(s) in its history; the earlier run of 2026-11 was replaced (1 root(s) now "
                            "listed as superseded"),
            std::string::npos)
      << result.out;
  const std::string text = ReadFile(site_ + "/roots.json");
  auto roots = RootsList(text);
  ASSERT_EQ(roots->Size(), 1u);
  EXPECT_EQ(std::string((*roots)[0]["hash"].GetString()), rerun.root_hash);
  EXPECT_STREQ((*roots)[0]["verdict"].GetString(), "PASS");
  auto superseded = RootsList(text, "superseded");
  ASSERT_EQ(superseded->Size(), 1u);
  EXPECT_EQ(std::string((*superseded)[0]["hash"].GetString()), tree_.root_hash);
  EXPECT_STREQ((*superseded)[0]["verdict"].GetString(), "ERROR");
  EXPECT_TRUE((*superseded)[0]["superseded_at"].IsString());
  // Publishing again keeps the superseded list as it is (same time), and the current run current.
  ASSERT_EQ(Publish().exit_code, 0);
  EXPECT_EQ(ReadFile(site_ + "/roots.json"), text);
  EXPECT_NE(ReadFile(site_ + "/index.html").find("an earlier run of 2026-11 was replaced on "), std::string::npos);
}

// Every month stays re-checkable: each attestation's files under attestations/<id>/, and a site
// written before there were archives hands its root files over to attestations/<its id>/.
TEST_F(PublishTest, KeepsEveryAttestationUnderItsId) {
  WriteFile(reports_ + "/attestation.json", testing::PublicAttestationJson("2026-11"));
  ASSERT_EQ(Publish().exit_code, 0);
  const std::string november = ReadFile(site_ + "/report.json");
  fs::remove_all(site_ + "/attestations");  // as a site published by an earlier version
  const TreeFixture december = BuildTree(dir_.path(), "december", "44");
  WriteReport(reports_, "2026-12", "FAIL", december, "2026-12-01T00:00:00Z");
  fs::remove(reports_ + "/attestation.json");
  ASSERT_EQ(Publish().exit_code, 0);
  const TreeFixture january = BuildTree(dir_.path(), "january", "55");
  WriteReport(reports_, "2027-01", "PASS", january, "2027-01-01T00:00:00Z");
  const CommandResult result = Publish();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("3 attestation(s)"), std::string::npos) << result.out;
  EXPECT_EQ(Listing(site_ + "/attestations"), (std::set<std::string>{"2026-11", "2026-12", "2027-01"}));
  EXPECT_EQ(ReadFile(site_ + "/attestations/2026-11/report.json"), november);
  EXPECT_TRUE(FileExists(site_ + "/attestations/2026-11/attestation.json"));
  EXPECT_EQ(ReadFile(site_ + "/attestations/2027-01/report.json"), ReadFile(site_ + "/report.json"));
  EXPECT_NE(ReadFile(site_ + "/attestations/2026-12/report.json").find("\"2026-12\""), std::string::npos);
  EXPECT_EQ(RootsList(ReadFile(site_ + "/roots.json"))->Size(), 3u);
  EXPECT_NE(ReadFile(site_ + "/index.html").find("<a href=\"attestations/2026-11/report.html\">"), std::string::npos);
}

// A site written before runs could be superseded has a plain array as roots.json: still read.
TEST_F(PublishTest, ReadsTheRootsOfASiteWrittenBeforeSupersededRuns) {
  ASSERT_EQ(Publish().exit_code, 0);
  auto roots = RootsList(ReadFile(site_ + "/roots.json"));
  WriteFile(site_ + "/roots.json", JsonToString(*roots));
  const TreeFixture december = BuildTree(dir_.path(), "december", "44");
  WriteReport(reports_, "2026-12", "PASS", december, "2026-12-01T00:00:00Z");
  ASSERT_EQ(Publish().exit_code, 0);
  EXPECT_EQ(RootsList(ReadFile(site_ + "/roots.json"))->Size(), 2u);
}

TEST_F(PublishTest, AnIdThatCannotNameAFolderIsRefused) {
  WriteReport(reports_, "../2026-11", "PASS", tree_, "2026-11-01T00:00:00Z");
  const CommandResult result = Publish();
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("cannot name its folder attestations/<id>/"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(site_));
}

TEST_F(PublishTest, AFailedRunLeavesTheSiteAsItWas) {
  ASSERT_EQ(Publish().exit_code, 0);
  const std::string before = ReadFile(site_ + "/index.html");
  WriteFile(reports_ + "/report.json", "{\"format\":\"segverify-report/1\",\"id\":\"x\",\"verdict\":\"PASS\"}");
  const CommandResult result = Publish();
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("report.json"), std::string::npos) << result.err;
  EXPECT_EQ(ReadFile(site_ + "/index.html"), before);
  for (const auto& entry : fs::directory_iterator(dir_.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".segverify-tmp-"), std::string::npos) << entry.path();
  }
}

TEST_F(PublishTest, NeverReplacesADirectoryItDidNotWrite) {
  fs::create_directories(site_);
  WriteFile(site_ + "/precious.txt", "keep me");
  const CommandResult result = Publish();
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("holds no .segverify-site"), std::string::npos) << result.err;
  EXPECT_EQ(ReadFile(site_ + "/precious.txt"), "keep me");
  // An empty directory is fine.
  fs::remove(site_ + "/precious.txt");
  EXPECT_EQ(Publish().exit_code, 0);
  EXPECT_TRUE(FileExists(site_ + "/index.html"));
}

TEST_F(PublishTest, RemovesTheTemporariesOfKilledRuns) {
  // A staging directory as a killed run leaves it (common/staging_dir.h): named after a process
  // that no longer exists, with its marker.
  const std::string leftover = dir_.File(".segverify-tmp-999999999-0123456789abcdef");
  fs::create_directories(leftover + "/out");
  WriteFile(leftover + "/segverify-staging", "marker");
  WriteFile(leftover + "/out/index.html", "half");
  ASSERT_EQ(Publish().exit_code, 0);
  EXPECT_FALSE(fs::exists(leftover));
}

TEST_F(PublishTest, ACorruptPublishedHistoryIsAnErrorNotSilentlyDropped) {
  ASSERT_EQ(Publish().exit_code, 0);
  WriteFile(site_ + "/roots.json", "[{\"id\":\"x\"}]");
  const CommandResult result = Publish();
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("roots.json"), std::string::npos) << result.err;
}

// The public attestation (docs/DESIGN.md §Public re-check) that attest wrote beside report.json is
// published as it is, linked from the page with the command that re-checks it; the page names the
// site's own address only in the browser (app.js fills #recheck-site).
TEST_F(PublishTest, PublishesThePublicAttestationAndHowToRecheckIt) {
  const std::string attestation = testing::PublicAttestationJson("2026-11");
  WriteFile(reports_ + "/attestation.json", attestation);
  ASSERT_EQ(Publish().exit_code, 0);
  EXPECT_EQ(ReadFile(site_ + "/attestation.json"), attestation);
  const std::string page = ReadFile(site_ + "/index.html");
  EXPECT_NE(page.find("<a href=\"attestation.json\">attestation.json</a>"), std::string::npos);
  EXPECT_NE(page.find("<pre class=\"command\" id=\"recheck-command\">segverify recheck <span id=\"recheck-site\">"
                      "THIS-SITE-URL</span> \\\n  --source bitcoin=esplora=https://blockstream.info/api \\\n  "
                      "--source ethereum=ethereum=https://YOUR-ETHEREUM-ARCHIVE-NODE</pre>"),
            std::string::npos)
      << page;
  TempDir state;
  RunningServer server(reports_, [&](server::ServerOptions& o) { o.history_path = state.File("h.sqlite"); });
  const auto served = server.Get("/attestation.json");
  EXPECT_EQ(served.status, 200);
  EXPECT_EQ(served.body, attestation);
  EXPECT_EQ(server.Get("/").body, page);
}

TEST_F(PublishTest, WithoutAPublicAttestationThePageOffersNoRecheck) {
  ASSERT_EQ(Publish().exit_code, 0);
  EXPECT_FALSE(FileExists(site_ + "/attestation.json"));
  EXPECT_EQ(ReadFile(site_ + "/index.html").find("recheck"), std::string::npos);
}

// attestation.json of another attestation would make the site's files disagree: not published.
TEST_F(PublishTest, APublicAttestationOfAnotherReportIsAnError) {
  ASSERT_EQ(Publish().exit_code, 0);
  const std::string before = ReadFile(site_ + "/index.html");
  WriteFile(reports_ + "/attestation.json", testing::PublicAttestationJson("2026-10"));
  CommandResult result = Publish();
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("attestation.json is of attestation 2026-10, report.json of attestation 2026-11"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(ReadFile(site_ + "/index.html"), before);
  WriteFile(reports_ + "/attestation.json", R"({"format":"segverify-attestation/1","id":"2026-11"})");
  result = Publish();
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("attestation.json"), std::string::npos) << result.err;
  // Its one reader checks every field, not only the format and id (attest/attestation_config.h).
  std::string no_message = testing::PublicAttestationJson("2026-11");
  no_message.replace(no_message.find(R"("message")"), 9, R"("massage")");
  WriteFile(reports_ + "/attestation.json", no_message);
  result = Publish();
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("attestation.json"), std::string::npos) << result.err;
  // serve does not publish it either (and still serves the report).
  TempDir state;
  RunningServer server(reports_, [&](server::ServerOptions& o) { o.history_path = state.File("h.sqlite"); });
  EXPECT_EQ(server.Get("/attestation.json").status, 404);
  EXPECT_EQ(server.Get("/report.json").status, 200);
}

// A full stdout (docs/DESIGN.md §Outputs are all or nothing): exit 2 with one line on stderr and
// nothing half-written. The site is swapped in whole before the report line is printed, so it
// stays, complete, as `tree build` and `attest` leave theirs: the same files as a publish to a
// working stdout, the site's mark in place, no temporary left beside it.
TEST_F(PublishTest, AFullStdoutIsExitTwoWithOneLineAndTheSiteWhole) {
  ProcessOptions options;
  options.stdout_path = "/dev/full";
  const auto run = RunSegverifyProcess({"publish", "--report", reports_, "--out", site_}, dir_, options);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "segverify: error: cannot write to standard output: No space left on device\n");
  EXPECT_TRUE(StagingDirsIn(dir_.path()).empty());
  const std::string full_site = site_;
  site_ = dir_.File("site-to-a-working-stdout");
  const CommandResult working = Publish();
  ASSERT_EQ(working.exit_code, 0) << working.err;
  EXPECT_EQ(Listing(full_site), Listing(site_));
  for (const char* file : {"index.html", "status.json", "roots.json", "report.json", "badge.svg", "embed.js"}) {
    EXPECT_EQ(ReadFile(full_site + "/" + file), ReadFile(site_ + "/" + file)) << file;
  }
  // And it is a site publish recognizes as its own: publishing into it again works.
  site_ = full_site;
  EXPECT_EQ(Publish().exit_code, 0);
}

// A stdout whose reader has gone (`segverify publish ... | head -c0`): the same as a full one,
// exit 2 with one line, not a process killed by SIGPIPE without a word after writing the site.
TEST_F(PublishTest, AClosedPipeAsStdoutIsExitTwoWithOneLine) {
  SpawnOptions options;
  options.out = ChildStream::kPipe;
  options.err = ChildStream::kFile;
  options.err_path = dir_.File("stderr");
  SpawnedChild child = Spawn(SEGVERIFY_BINARY, {"publish", "--report", reports_, "--out", site_}, options);
  ::close(child.out);  // nobody will read
  int status = 0;
  ASSERT_EQ(::waitpid(child.pid, &status, 0), child.pid);
  EXPECT_EQ(ExitStatus(status), 2);
  EXPECT_EQ(ReadFile(dir_.File("stderr")), "segverify: error: cannot write to standard output: Broken pipe\n");
  EXPECT_TRUE(fs::exists(site_ + "/index.html"));
}

TEST_F(PublishTest, MissingReportIsExit2) {
  TempDir empty;
  const CommandResult result = RunSegverify({"publish", "--report", empty.path(), "--out", site_});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_FALSE(fs::exists(site_));
}

}  // namespace
}  // namespace segverify::testing
