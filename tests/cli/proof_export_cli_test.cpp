// `segverify proof export --all`: one file per account under --out-dir (docs/DESIGN.md §Command
// line:
// DIR/ab/abcd….json named by the hex SHA-256 of the account id), each verified by `proof verify`;
// every output all or nothing (a killed export leaves no big temporary once the next run is
// done; SIGTERM removes it at once); a failed write to stdout is exit 2; progress in a file.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>

#include "tests/support/segverify_process.h"
#include "tests/support/test_support.h"

namespace segverify::testing {
namespace {

namespace fs = std::filesystem;

const std::string kKey = "7f3a5c9e1b2d4f6081a3c5e7092b4d6f8a1c3e5f7092b4d6f8a1c3e5f7092b4d";

class ProofExportCli : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = RunSegverify({"tree", "build", "--liabilities", SourcePath("fixtures/liabilities/spot.csv"), "--assets",
                           "BTC:8,ETH:18,USDT:6", "--out", dir_.File("tree"), "--pool", "spot", "--nonce-key", kKey,
                           "--quiet"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::vector<std::string> Export(const std::vector<std::string>& more) const {
    std::vector<std::string> args = {"proof", "export", "--tree", dir_.File("tree"), "--all", "--quiet"};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }
  TempDir dir_;
};

// The account ids of fixtures/liabilities/spot.csv and the hex SHA-256 of each, computed by
// Python's hashlib (an implementation independent of the one in segverify).
std::vector<std::pair<std::string, std::string>> ExpectedFiles() {
  auto listed =
      RunProgram("python3", {"-c",
                             "import csv, hashlib, sys\n"
                             "for row in list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))[1:]:\n"
                             "    print(hashlib.sha256(row[0].encode()).hexdigest() + '\\t' + row[0])\n",
                             SourcePath("fixtures/liabilities/spot.csv")});
  std::vector<std::pair<std::string, std::string>> files;
  std::size_t start = 0;
  for (std::size_t nl; (nl = listed.out.find('\n', start)) != std::string::npos; start = nl + 1) {
    const std::string line = listed.out.substr(start, nl - start);
    files.emplace_back(line.substr(0, 64), line.substr(65));
  }
  return files;
}

TEST_F(ProofExportCli, OutDirHoldsOneVerifiableFilePerAccount) {
  auto e = RunSegverify(Export({"--out-dir", dir_.File("proofs")}));
  ASSERT_EQ(e.exit_code, 0) << e.err;
  const auto expected = ExpectedFiles();
  ASSERT_EQ(expected.size(), 10u);
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir_.File("proofs"))) files += entry.is_regular_file();
  EXPECT_EQ(files, expected.size());
  std::size_t folders = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir_.File("proofs"))) ++folders;
  EXPECT_EQ(folders, 256u);
  for (const auto& [hash, id] : expected) {
    SCOPED_TRACE(id);
    const std::string path = dir_.File("proofs/" + hash.substr(0, 2) + "/" + hash + ".json");
    ASSERT_TRUE(FileExists(path));
    auto v = RunSegverify({"proof", "verify", path, "--root", dir_.File("tree/root.json"), "--json"});
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
    EXPECT_NE(v.out.find("\"valid\":true"), std::string::npos);
    auto one = RunSegverify({"proof", "export", "--tree", dir_.File("tree"), "--account", id});
    EXPECT_EQ(ReadFile(path), one.out);  // the same document as a single export
  }
  EXPECT_TRUE(StagingDirsIn(dir_.path()).empty());
}

TEST_F(ProofExportCli, OutDirIsNeverMixedWithOtherFiles) {
  ASSERT_EQ(RunSegverify(Export({"--out-dir", dir_.File("proofs")})).exit_code, 0);
  auto again = RunSegverify(Export({"--out-dir", dir_.File("proofs")}));
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("already holds proofs (--force replaces them)"), std::string::npos) << again.err;
  EXPECT_EQ(RunSegverify(Export({"--out-dir", dir_.File("proofs"), "--force"})).exit_code, 0);

  fs::create_directories(dir_.File("site"));
  WriteFile(dir_.File("site/index.html"), "keep");
  auto foreign = RunSegverify(Export({"--out-dir", dir_.File("site"), "--force"}));
  EXPECT_EQ(foreign.exit_code, 2);
  EXPECT_NE(foreign.err.find("not a proof export"), std::string::npos) << foreign.err;
  EXPECT_EQ(ReadFile(dir_.File("site/index.html")), "keep");

  auto without_all =
      RunSegverify({"proof", "export", "--tree", dir_.File("tree"), "--account", "alice", "--out-dir", dir_.File("x")});
  EXPECT_EQ(without_all.exit_code, 2);
}

TEST_F(ProofExportCli, KilledExportsLeaveNothingOnceTheNextRunIsDone) {
  struct Case {
    std::vector<std::string> args;
    const char* point;
  };
  const Case cases[] = {{Export({"--out", dir_.File("all.jsonl")}), "proof-export-before-commit"},
                        {Export({"--out-dir", dir_.File("proofs")}), "proof-export-dir-before-publish"}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.point);
    SegverifyProcess run(c.args, dir_, PausedAt(c.point));
    ASSERT_TRUE(run.WaitForPause(c.point)) << run.ErrSoFar();
    run.Signal(SIGKILL);
    EXPECT_EQ(run.Wait().signal, SIGKILL);
    EXPECT_EQ(StagingDirsIn(dir_.path()).size(), 1u);
    EXPECT_FALSE(fs::exists(dir_.File("all.jsonl")));
    EXPECT_FALSE(fs::exists(dir_.File("proofs")));
    auto next = RunSegverify(Export({"--out", dir_.File("next.jsonl")}));
    ASSERT_EQ(next.exit_code, 0) << next.err;
    EXPECT_TRUE(StagingDirsIn(dir_.path()).empty());
  }
}

TEST_F(ProofExportCli, SigtermRemovesTheTemporaryAtOnce) {
  for (const char* point : {"proof-export-before-commit", "proof-export-dir-before-publish"}) {
    SCOPED_TRACE(point);
    const bool to_dir = std::string(point).find("dir") != std::string::npos;
    SegverifyProcess run(Export({to_dir ? "--out-dir" : "--out", dir_.File(to_dir ? "proofs" : "all.jsonl")}), dir_, PausedAt(point));
    ASSERT_TRUE(run.WaitForPause(point)) << run.ErrSoFar();
    run.Signal(SIGTERM);
    EXPECT_EQ(run.Wait().signal, SIGTERM);
    EXPECT_TRUE(StagingDirsIn(dir_.path()).empty());
  }
}

TEST_F(ProofExportCli, AFailedWriteToStdoutIsExitTwo) {
  for (const auto& args :
       {Export({}), std::vector<std::string>{"proof", "export", "--tree", dir_.File("tree"), "--account", "alice"}}) {
    ProcessOptions options;
    options.stdout_path = "/dev/full";
    auto run = RunSegverifyProcess(args, dir_, options);
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.err.find("cannot write to standard output"), std::string::npos) << run.err;
  }
}

TEST_F(ProofExportCli, JsonLinesMatchTheSingleExports) {
  auto all = RunSegverify(Export({}));
  ASSERT_EQ(all.exit_code, 0) << all.err;
  auto to_file = RunSegverify(Export({"--out", dir_.File("all.jsonl")}));
  ASSERT_EQ(to_file.exit_code, 0) << to_file.err;
  EXPECT_EQ(ReadFile(dir_.File("all.jsonl")), all.out);
  std::string joined;
  for (const auto& [hash, id] : ExpectedFiles()) {
    (void)hash;
    auto one = RunSegverify({"proof", "export", "--tree", dir_.File("tree"), "--account", id});
    ASSERT_EQ(one.exit_code, 0);
    EXPECT_NE(all.out.find(one.out), std::string::npos) << id;
    joined += one.out;
  }
  EXPECT_EQ(joined.size(), all.out.size());
}

TEST_F(ProofExportCli, ProgressCountsProofs) {
  auto e = RunSegverify({"proof", "export", "--tree", dir_.File("tree"), "--all", "--out", dir_.File("all.jsonl")});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_NE(e.err.find("exporting proofs 100% (10/10)"), std::string::npos) << e.err;
  EXPECT_NE(e.err.find("proof export: 10 proofs in"), std::string::npos) << e.err;
}

}  // namespace
}  // namespace segverify::testing
