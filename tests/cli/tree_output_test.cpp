// `segverify tree build` output is all or nothing (docs/DESIGN.md §Outputs are all or nothing and
// §Command line): an existing tree is refused without --force and replaced whole with it; a run
// killed (kill -9) or terminated (SIGTERM, SIGINT) at several points, or stopped by a full disk
// (ulimit -f), leaves the old tree byte for byte; the staging directory of a killed run is
// removed by the next run, and nothing else is; the nonce key comes from a file or the
// environment; progress is sparse in a file, one rewritten line on a terminal, absent with --quiet.
#include <gtest/gtest.h>

#include <regex>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "tests/support/segverify_process.h"
#include "tests/support/test_support.h"

namespace segverify::testing {
namespace {

namespace fs = std::filesystem;

const std::string kKeyA = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string kKeyB = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";
const char* const kTreeFiles[] = {"tree.bin", "accounts.idx", "accounts.dat", "index.bin", "tree.json", "root.json"};

std::string Accounts(std::size_t n) {
  std::string csv = "account_id,BTC,ETH\n";
  for (std::size_t i = 0; i < n; ++i) csv += "user-" + std::to_string(i) + "," + std::to_string(i % 1000) + ".5,1\n";
  return csv;
}

std::vector<std::string> BuildArgs(const TempDir& dir, const std::string& out, const std::string& key) {
  return {"tree",         "build", "--liabilities", dir.File("l.csv"), "--assets",
          "BTC:8,ETH:18", "--out", dir.File(out),   "--nonce-key",     key,
          "--quiet"};
}

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// Every file of a tree, by name.
std::map<std::string, std::string> TreeContents(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const char* name : kTreeFiles) files[name] = ReadFile(dir + "/" + name);
  return files;
}

class TreeOutput : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(dir_.File("l.csv"), Accounts(3000));
    auto built = RunSegverify(BuildArgs(dir_, "tree", kKeyA));
    ASSERT_EQ(built.exit_code, 0) << built.err;
    old_ = TreeContents(dir_.File("tree"));
  }
  void ExpectOldTreeIntact() {
    EXPECT_TRUE(TreeContents(dir_.File("tree")) == old_) << "the old tree changed";
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_.File("tree"))) ++entries;
    EXPECT_EQ(entries, std::size(kTreeFiles));
  }
  TempDir dir_;
  std::map<std::string, std::string> old_;
};

TEST_F(TreeOutput, AnExistingTreeIsRefusedWithoutForceAndReplacedWithIt) {
  auto again = RunSegverify(BuildArgs(dir_, "tree", kKeyB));
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("already holds a tree (--force replaces it)"), std::string::npos) << again.err;
  ExpectOldTreeIntact();

  auto forced = RunSegverify(With(BuildArgs(dir_, "tree", kKeyB), {"--force"}));
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_NE(ReadFile(dir_.File("tree/root.json")), old_["root.json"]);
  auto store = RunSegverify({"proof", "export", "--tree", dir_.File("tree"), "--account", "user-7"});
  EXPECT_EQ(store.exit_code, 0) << store.err;
  EXPECT_TRUE(StagingDirsIn(dir_.path()).empty());
}

TEST_F(TreeOutput, ADirectoryHoldingOtherFilesIsNeverReplaced) {
  fs::create_directories(dir_.File("mine"));
  WriteFile(dir_.File("mine/notes.txt"), "keep me");
  for (bool force : {false, true}) {
    auto run = RunSegverify(force ? With(BuildArgs(dir_, "mine", kKeyA), {"--force"}) : BuildArgs(dir_, "mine", kKeyA));
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.err.find("not empty and not a tree directory (it holds \"notes.txt\")"), std::string::npos)
        << run.err;
  }
  EXPECT_EQ(ReadFile(dir_.File("mine/notes.txt")), "keep me");
  fs::create_directories(dir_.File("empty"));
  EXPECT_EQ(RunSegverify(BuildArgs(dir_, "empty", kKeyA)).exit_code, 0);
  EXPECT_TRUE(FileExists(dir_.File("empty/root.json")));
}

TEST_F(TreeOutput, KillNineAtAnyPointLeavesTheOldTreeAndTheNextRunCleansUp) {
  for (const char* point : {"tree-build-rows-read", "tree-build-leaves-hashed", "tree-build-before-publish"}) {
    SCOPED_TRACE(point);
    SegverifyProcess run(With(BuildArgs(dir_, "tree", kKeyB), {"--force"}), dir_, PausedAt(point));
    ASSERT_TRUE(run.WaitForPause(point)) << run.ErrSoFar();
    EXPECT_EQ(StagingDirsIn(dir_.path()).size(), 1u);
    run.Signal(SIGKILL);
    EXPECT_EQ(run.Wait().signal, SIGKILL);
    ExpectOldTreeIntact();
    EXPECT_EQ(StagingDirsIn(dir_.path()).size(), 1u) << "kill -9 cannot clean up";
    // The next run in the same directory removes what the killed one left.
    EXPECT_EQ(RunSegverify(BuildArgs(dir_, "other", kKeyA)).exit_code, 0);
    EXPECT_TRUE(StagingDirsIn(dir_.path()).empty());
    fs::remove_all(dir_.File("other"));
  }
}

TEST_F(TreeOutput, SigtermOrSigintRemovesWhatTheRunMade) {
  for (int signal_number : {SIGTERM, SIGINT}) {
    for (const char* point : {"tree-build-rows-read", "tree-build-leaves-hashed", "tree-build-before-publish"}) {
      SCOPED_TRACE(std::string(point) + " signal " + std::to_string(signal_number));
      SegverifyProcess run(With(BuildArgs(dir_, "tree", kKeyB), {"--force"}), dir_, PausedAt(point));
      ASSERT_TRUE(run.WaitForPause(point)) << run.ErrSoFar();
      run.Signal(signal_number);
      EXPECT_EQ(run.Wait().signal, signal_number);  // ends by the signal, as without a handler
      EXPECT_TRUE(StagingDirsIn(dir_.path()).empty());
      ExpectOldTreeIntact();
    }
  }
}

TEST_F(TreeOutput, AFullDiskLeavesTheOldTreeAndNoTemporary) {
  // ulimit -f 100 KiB: tree.bin (about 390 KB here) cannot be written.
  ProcessOptions options;
  options.file_size_limit = 100 * 1024;
  auto run = RunSegverifyProcess(With(BuildArgs(dir_, "tree", kKeyB), {"--force"}), dir_, options);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("File too large"), std::string::npos) << run.err;
  ExpectOldTreeIntact();
  EXPECT_TRUE(StagingDirsIn(dir_.path()).empty());
}

TEST_F(TreeOutput, OnlyStagingDirectoriesOfDeadRunsAreRemoved) {
  auto make = [&](const std::string& name, bool marker) {
    fs::create_directories(dir_.File(name));
    WriteFile(dir_.File(name + "/payload"), "x");
    if (marker) WriteFile(dir_.File(name + "/segverify-staging"), "marker");
  };
  const std::string dead = ".segverify-tmp-999999999-0123456789abcdef";  // beyond any pid_max: no such process
  const std::string alive = ".segverify-tmp-" + std::to_string(getpid()) + "-0123456789abcdef";
  const std::string no_marker = ".segverify-tmp-999999998-0123456789abcdef";
  const std::string other_name = ".segverify-tmp-999999997-not-hex-at-all";
  make(dead, true);
  make(alive, true);
  make(no_marker, false);
  make(other_name, true);
  ASSERT_EQ(RunSegverify(BuildArgs(dir_, "other", kKeyA)).exit_code, 0);
  EXPECT_FALSE(fs::exists(dir_.File(dead)));
  EXPECT_TRUE(fs::exists(dir_.File(alive + "/payload")));
  EXPECT_TRUE(fs::exists(dir_.File(no_marker + "/payload")));
  EXPECT_TRUE(fs::exists(dir_.File(other_name + "/payload")));
}

TEST_F(TreeOutput, APipeIsReadLikeAFile) {
  // The CSV is read twice (a scan, then the parse): a pipe is copied first, and errors still name it.
  auto piped = RunSegverify({"tree", "build", "--liabilities", "/dev/stdin", "--assets", "BTC:8,ETH:18", "--out",
                             dir_.File("piped"), "--nonce-key", kKeyA, "--quiet"},
                            ReadFile(dir_.File("l.csv")));
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(ReadFile(dir_.File("piped/root.json")), old_["root.json"]);
  auto bad = RunSegverify({"tree", "build", "--liabilities", "/dev/stdin", "--assets", "BTC:8,ETH:18", "--out",
                           dir_.File("bad"), "--nonce-key", kKeyA, "--quiet"},
                          "account_id,BTC,ETH\nalice,1,2\nbob,-1,2\n");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("/dev/stdin:3:5: BTC: negative amount"), std::string::npos) << bad.err;
  EXPECT_TRUE(StagingDirsIn(dir_.path()).empty());
}

TEST_F(TreeOutput, RootJsonNamesThePool) {
  auto built = RunSegverify(With(BuildArgs(dir_, "spot", kKeyA), {"--pool", "spot"}));
  ASSERT_EQ(built.exit_code, 0) << built.err;
  EXPECT_NE(ReadFile(dir_.File("spot/root.json")).find("\"pool\":\"spot\""), std::string::npos);
}

TEST_F(TreeOutput, NonceKeyFromAFileOrTheEnvironmentAndAWarningOnTheCommandLine) {
  WriteFile(dir_.File("key.hex"), kKeyA + "\n");
  const std::vector<std::string> base = {"tree",     "build",        "--liabilities", dir_.File("l.csv"),
                                         "--assets", "BTC:8,ETH:18", "--quiet"};
  auto from_file = RunSegverify(With(base, {"--out", dir_.File("f"), "--nonce-key-file", dir_.File("key.hex")}));
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_EQ(from_file.err, "");
  EXPECT_EQ(ReadFile(dir_.File("f/root.json")), old_["root.json"]);  // same key, same tree

  ProcessOptions env_key;
  env_key.env = {std::string("SEGVERIFY_NONCE_KEY=") + kKeyA};
  auto from_env = RunSegverifyProcess(With(base, {"--out", dir_.File("e")}), dir_, env_key);
  ASSERT_EQ(from_env.exit_code, 0) << from_env.err;
  EXPECT_EQ(ReadFile(dir_.File("e/root.json")), old_["root.json"]);

  auto on_line = RunSegverify(With(base, {"--out", dir_.File("l"), "--nonce-key", kKeyA}));
  ASSERT_EQ(on_line.exit_code, 0);
  EXPECT_NE(on_line.err.find("warning: --nonce-key puts the key in the process list"), std::string::npos);
  EXPECT_EQ(on_line.err.find(kKeyA), std::string::npos);

  auto missing = RunSegverify(With(base, {"--out", dir_.File("m"), "--nonce-key-file", dir_.File("nope.hex")}));
  EXPECT_EQ(missing.exit_code, 2);
  WriteFile(dir_.File("bad.hex"), "xyz\n");
  auto bad = RunSegverify(With(base, {"--out", dir_.File("b"), "--nonce-key-file", dir_.File("bad.hex")}));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("bad.hex: expected 64 hex characters"), std::string::npos) << bad.err;
  auto both = RunSegverify(
      With(base, {"--out", dir_.File("x"), "--nonce-key", kKeyA, "--nonce-key-file", dir_.File("key.hex")}));
  EXPECT_EQ(both.exit_code, 2);
}

TEST_F(TreeOutput, ProgressIsSparseInAFileAndAbsentWithQuiet) {
  WriteFile(dir_.File("big.csv"), Accounts(100000));
  WriteFile(dir_.File("key.hex"), kKeyA);
  auto with_progress = RunSegverify({"tree", "build", "--liabilities", dir_.File("big.csv"), "--assets", "BTC:8,ETH:18",
                                     "--nonce-key-file", dir_.File("key.hex"), "--out", dir_.File("p")});
  ASSERT_EQ(with_progress.exit_code, 0) << with_progress.err;
  const std::string& err = with_progress.err;
  for (const char* step : {"reading liabilities", "hashing leaves and nodes", "sorting the account index"}) {
    EXPECT_NE(err.find(std::string(step) + " 100%"), std::string::npos) << step << "\n" << err;
  }
  EXPECT_EQ(err.find("levels"), std::string::npos);
  EXPECT_EQ(err.find('\r'), std::string::npos);
  // Bytes in units, never raw counts ("15% (16777235/109806013)").
  EXPECT_TRUE(std::regex_search(err, std::regex(R"(reading liabilities \d+% \([0-9.]+ (B|KiB|MiB) of [0-9.]+ (KiB|MiB)\))")))
      << err;
  std::size_t lines = 0;
  for (char c : err) lines += c == '\n';
  EXPECT_LE(lines, 6u * 11u) << err;  // at most one line per 10 % of each step
  auto quiet = RunSegverify({"tree", "build", "--liabilities", dir_.File("big.csv"), "--assets", "BTC:8,ETH:18",
                             "--nonce-key-file", dir_.File("key.hex"), "--out", dir_.File("q"), "--quiet"});
  ASSERT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.err, "");
}

TEST_F(TreeOutput, ProgressOnATerminalIsOneRewrittenLine) {
  WriteFile(dir_.File("big.csv"), Accounts(100000));
  WriteFile(dir_.File("key.hex"), kKeyA);
  // python3's pty module gives the command a terminal as stderr and copies what it writes.
  const std::string script =
      "import os, pty, sys\n"
      "out = open(sys.argv[1], 'wb')\n"
      "def read(fd):\n"
      "    data = os.read(fd, 65536)\n"
      "    out.write(data)\n"
      "    return data\n"
      "status = pty.spawn(sys.argv[2:], read)\n"
      "sys.exit(os.waitstatus_to_exitcode(status))\n";
  WriteFile(dir_.File("run_in_terminal.py"), script);
  auto run = RunProgram("python3", {dir_.File("run_in_terminal.py"), dir_.File("tty.out"), SEGVERIFY_BINARY, "tree",
                                    "build", "--liabilities", dir_.File("big.csv"), "--assets", "BTC:8,ETH:18",
                                    "--nonce-key-file", dir_.File("key.hex"), "--out", dir_.File("t")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string tty = ReadFile(dir_.File("tty.out"));
  EXPECT_NE(tty.find("\r\x1b[K"), std::string::npos) << tty;
  EXPECT_NE(tty.find("hashing leaves and nodes"), std::string::npos);
  EXPECT_NE(tty.find("%"), std::string::npos);
  // Progress lines end with a rewrite, not a line feed: the summary (5 lines) and a line per step at most.
  std::size_t lines = 0;
  for (char c : tty) lines += c == '\n';
  EXPECT_LE(lines, 12u) << tty;
}

TEST_F(TreeOutput, AFailedWriteToStdoutIsExitTwo) {
  ProcessOptions options;
  options.stdout_path = "/dev/full";
  auto run = RunSegverifyProcess(With(BuildArgs(dir_, "full", kKeyA), {"--json"}), dir_, options);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("cannot write to standard output"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace segverify::testing
