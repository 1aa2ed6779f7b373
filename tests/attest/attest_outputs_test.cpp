// `attest --out DIR` is all or nothing (docs/DESIGN.md §Outputs are all or nothing): a run that
// reaches a verdict replaces DIR whole; a run that is killed (at any point), interrupted, or
// cannot write (full disk, file-size limit) leaves DIR exactly as it was, byte for byte, and
// leaves no temporary that a later run does not remove. Every input file is checked before the
// first request to a node, and each error is printed once.
//
// The node is tests/support/faulty_eth_node.py (honest unless told otherwise; --request-log shows
// whether any request was made). Crash points are injected with SEGVERIFY_TEST_CRASH_AT in the test
// build of the CLI (common/test_hook.h; CrashedAt in tests/support/segverify_process.h); real
// signals are also sent after a measured delay while the run waits for a slow node.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/faulty_eth_node.h"
#include "tests/hostile/measured_run.h"
#include "tests/support/anvil.h"
#include "tests/support/segverify_process.h"
#include "tests/support/test_support.h"

namespace segverify::testing {
namespace {

namespace fs = std::filesystem;

// Every file under `dir` with its bytes (directories as "<dir>"): equal snapshots mean untouched.
std::map<std::string, std::string> Snapshot(const std::string& dir) {
  std::map<std::string, std::string> files;
  if (!fs::exists(dir)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string relative = fs::relative(entry.path(), dir).string();
    files[relative] = entry.is_directory() ? "<dir>" : ReadFile(entry.path().string());
  }
  return files;
}

std::string VerdictIn(const std::string& out_dir) {
  auto report = ParseJsonFile(out_dir + "/report.json");
  if (!report) return report.error().message;
  const JsonDocument& doc = **report;
  return doc.HasMember("verdict") && doc["verdict"].IsString() ? doc["verdict"].GetString() : "";
}

// An honest node that logs every JSON-RPC call it receives in `log_path`.
class LoggedEthNode {
 public:
  explicit LoggedEthNode(const std::string& log_path)
      : process_("python3",
                 {SourcePath("tests/support/faulty_eth_node.py"), "--fault", "none", "--request-log", log_path}, true),
        url_("http://127.0.0.1:" + process_.FirstLine(10000)) {}
  const std::string& url() const { return url_; }

 private:
  ChildProcess process_;
  std::string url_;
};

const std::string kClosedPort = "http://127.0.0.1:9";

// A first run that PASSes into DIR/out, so that later runs have something to keep or replace.
std::map<std::string, std::string> FirstPass(const TempDir& dir, const std::string& node_url) {
  const std::string config = WriteFaultConfig(dir, node_url);
  auto run = RunSegverifyProcess({"attest", config, "--out", dir.File("out"), "--quiet"}, dir);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(VerdictIn(dir.File("out")), "PASS");
  auto snapshot = Snapshot(dir.File("out"));
  EXPECT_TRUE(snapshot.count("report.json") && snapshot.count("report.html") && snapshot.count("evidence") &&
              snapshot.count("pools/spot/root.json"));
  return snapshot;
}

TEST(AttestOutputs, ARunThatReachesAVerdictReplacesOutWhole) {
  FaultyEthNode node("none");
  TempDir dir;
  FirstPass(dir, node.url());
  const std::string old_evidence = Snapshot(dir.File("out/evidence")).begin()->first;
  WriteFile(dir.File("out/left-over.txt"), "from an earlier run");
  // The node is now unreachable: an ERROR verdict, which replaces the PASS with everything that
  // belongs to the new run (its trees, its evidence), nothing of the old one.
  const std::string config = WriteFaultConfig(dir, kClosedPort);
  auto run = RunSegverifyProcess({"attest", config, "--out", dir.File("out"), "--quiet"}, dir);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(VerdictIn(dir.File("out")), "ERROR");
  EXPECT_FALSE(FileExists(dir.File("out/left-over.txt")));
  EXPECT_FALSE(FileExists(dir.File("out/evidence/" + old_evidence)));
  EXPECT_TRUE(FileExists(dir.File("out/pools/spot/root.json")));
  EXPECT_TRUE(StagingDirsIn(dir.path()).empty());
}

TEST(AttestOutputs, ReplayFromOutIntoTheSameOut) {
  TempDir dir;
  std::map<std::string, std::string> first;
  {
    FaultyEthNode node("none");
    first = FirstPass(dir, node.url());
  }  // the node is stopped: only the recording can answer
  auto run = RunSegverifyProcess(
      {"attest", dir.File("config.json"), "--out", dir.File("out"), "--replay", dir.File("out/evidence"), "--quiet"},
      dir);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  // Random nonces (no key): the replay reuses the recorded trees, so everything is identical.
  EXPECT_EQ(Snapshot(dir.File("out")), first);
  EXPECT_TRUE(StagingDirsIn(dir.path()).empty());
}

TEST(AttestOutputs, ADirectoryHoldingSomethingElseIsNeverReplaced) {
  TempDir dir;
  const std::string config = WriteFaultConfig(dir, kClosedPort);
  fs::create_directories(dir.File("home"));
  WriteFile(dir.File("home/notes.txt"), "mine");
  auto run = RunSegverifyMeasured({"attest", config, "--out", dir.File("home"), "--quiet"}, dir);
  ExpectCannotCheck(run, "--out: " + dir.File("home") + " is not empty and holds no .segverify-attest");
  EXPECT_EQ(Snapshot(dir.File("home")), (std::map<std::string, std::string>{{"notes.txt", "mine"}}));
}

// An entry named report.json or evidence is not the mark of an earlier attest: a folder holding one
// beside foreign files was once replaced whole (the foreign files deleted) by a run that ended ERROR.
TEST(AttestOutputs, AReportJsonOrEvidenceEntryIsNotAMark) {
  for (const std::string entry : {"report.json", "evidence"}) {
    SCOPED_TRACE(entry);
    TempDir dir;
    const std::string config = WriteFaultConfig(dir, kClosedPort);
    fs::create_directories(dir.File("mine"));
    WriteFile(dir.File("mine/" + entry), "not segverify's");
    WriteFile(dir.File("mine/thesis.tex"), "years of work");
    auto run = RunSegverifyMeasured({"attest", config, "--out", dir.File("mine"), "--quiet"}, dir);
    ExpectCannotCheck(run, "--out: " + dir.File("mine") + " is not empty and holds no .segverify-attest");
    EXPECT_EQ(Snapshot(dir.File("mine")),
              (std::map<std::string, std::string>{{entry, "not segverify's"}, {"thesis.tex", "years of work"}}));
  }
}

// --- Killed or interrupted at each point of the run -----------------------------------------

struct Crash {
  std::string point;
  std::string signal_name;
  int signo;
};

void PrintTo(const Crash& crash, std::ostream* os) { *os << crash.point << ":" << crash.signal_name; }

class AttestCrash : public ::testing::TestWithParam<Crash> {};

TEST_P(AttestCrash, OutIsAsItWasAndNoTemporaryOutlivesTheNextRun) {
  const Crash& crash = GetParam();
  FaultyEthNode node("none");
  TempDir dir;
  const auto before = FirstPass(dir, node.url());
  auto run = RunSegverifyProcess({"attest", dir.File("config.json"), "--out", dir.File("out"), "--quiet"}, dir,
                                 CrashedAt(crash.point, crash.signal_name));
  EXPECT_EQ(run.signal, crash.signo) << "exit " << run.exit_code << ": " << run.err;
  EXPECT_EQ(Snapshot(dir.File("out")), before);
  if (crash.signo == SIGKILL) {
    // Nothing can run at a kill -9: its staging directory stays until the next run.
    EXPECT_EQ(StagingDirsIn(dir.path()).size(), 1u);
  } else {
    EXPECT_TRUE(StagingDirsIn(dir.path()).empty()) << StagingDirsIn(dir.path())[0];
  }
  auto next = RunSegverifyProcess({"attest", dir.File("config.json"), "--out", dir.File("out"), "--quiet"}, dir);
  EXPECT_EQ(next.exit_code, 0) << next.err;
  EXPECT_TRUE(StagingDirsIn(dir.path()).empty());
  EXPECT_EQ(VerdictIn(dir.File("out")), "PASS");
}

std::string CrashName(const ::testing::TestParamInfo<Crash>& info) {
  return info.param.point + "_" + info.param.signal_name;
}

INSTANTIATE_TEST_SUITE_P(Points, AttestCrash,
                         ::testing::Values(Crash{"staged", "KILL", SIGKILL}, Crash{"trees", "KILL", SIGKILL},
                                           Crash{"balances", "KILL", SIGKILL}, Crash{"report", "KILL", SIGKILL},
                                           Crash{"staged", "TERM", SIGTERM}, Crash{"trees", "TERM", SIGTERM},
                                           Crash{"balances", "TERM", SIGTERM}, Crash{"report", "TERM", SIGTERM},
                                           Crash{"balances", "INT", SIGINT}),
                         CrashName);

// A real signal from outside, sent while the run waits for a node that answers slowly (after the
// chain id and the block pin): the run ends by that signal within a second or two.
void SignalWhileWaitingForTheNode(int signo) {
  TempDir dir;
  std::map<std::string, std::string> before;
  {
    FaultyEthNode honest("none");
    before = FirstPass(dir, honest.url());
  }
  FaultyEthNode slow("slow", 2, 20.0);
  const std::string config = WriteFaultConfig(dir, slow.url());
  SegverifyProcess process({"attest", config, "--out", dir.File("out"), "--quiet"}, dir);
  // Wait until the run has staged its directory and built its tree, then give it time to reach
  // the node (the slow answer takes 20 s, so the run is certainly waiting when the signal comes).
  const auto start = std::chrono::steady_clock::now();
  while (!std::any_of(fs::directory_iterator(dir.path()), fs::directory_iterator(), [](const fs::directory_entry& e) {
    return e.path().filename().string().rfind(".segverify-tmp-", 0) == 0 &&
           fs::exists(e.path() / "out/pools/spot/root.json");
  })) {
    ASSERT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10)) << "the run never built its tree";
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto sent = std::chrono::steady_clock::now();
  process.Signal(signo);
  auto run = process.Wait(std::chrono::seconds(30));
  const double seconds_to_end = std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
  EXPECT_EQ(run.signal, signo) << "exit " << run.exit_code << ": " << run.err;
  EXPECT_LT(seconds_to_end, 5.0);
  EXPECT_EQ(Snapshot(dir.File("out")), before);
  if (signo == SIGKILL) {
    EXPECT_EQ(StagingDirsIn(dir.path()).size(), 1u);
    // The next run removes it (its process is gone) and replaces OUT as usual.
    FaultyEthNode honest("none");
    WriteFaultConfig(dir, honest.url());
    auto next = RunSegverifyProcess({"attest", dir.File("config.json"), "--out", dir.File("out"), "--quiet"}, dir);
    EXPECT_EQ(next.exit_code, 0) << next.err;
  }
  EXPECT_TRUE(StagingDirsIn(dir.path()).empty());
}

TEST(AttestSignals, SigtermWhileWaitingForANode) { SignalWhileWaitingForTheNode(SIGTERM); }
TEST(AttestSignals, SigintWhileWaitingForANode) { SignalWhileWaitingForTheNode(SIGINT); }
TEST(AttestSignals, SigkillWhileWaitingForANode) { SignalWhileWaitingForTheNode(SIGKILL); }

// --- A disk that fills up ----------------------------------------------------------------------

// Liabilities whose tree takes a few MB (the first run's takes a few KB).
std::string LargeLiabilities() {
  std::string csv = "account_id,ETH\n";
  for (int i = 0; i < 40000; ++i) csv += "account-" + std::to_string(i) + ",0.000001\n";
  return csv;
}

void ExpectFailedWriteLeavesOutAsItWas(const ProcessResult& run, const std::string& parent, const std::string& out,
                                       const std::map<std::string, std::string>& before) {
  EXPECT_EQ(run.exit_code, 2) << "signal " << run.signal << ": " << run.err;
  auto lines = ErrorLines(run.err);
  ASSERT_EQ(lines.size(), 1u) << run.err;
  EXPECT_TRUE(lines[0].find("No space left on device") != std::string::npos ||
              lines[0].find("File too large") != std::string::npos)
      << lines[0];
  EXPECT_EQ(Snapshot(out), before);
  EXPECT_TRUE(StagingDirsIn(parent).empty());
}

// A file-size limit (what `ulimit -f` sets): every write past it fails with EFBIG.
TEST(AttestDiskFull, AFileSizeLimitLeavesOutAsItWas) {
  FaultyEthNode node("none");
  TempDir dir;
  const auto before = FirstPass(dir, node.url());
  WriteFile(dir.File("spot.csv"), LargeLiabilities());
  ProcessOptions options;
  options.file_size_limit = 256 * 1024;
  auto run =
      RunSegverifyProcess({"attest", dir.File("config.json"), "--out", dir.File("out"), "--quiet"}, dir, options);
  ExpectFailedWriteLeavesOutAsItWas(run, dir.path(), dir.File("out"), before);
}

// A real full filesystem: a small tmpfs, where the machine lets the test mount one (root).
class Tmpfs {
 public:
  Tmpfs(const std::string& path, const std::string& size) : path_(path) {
    fs::create_directories(path);
    mounted_ = ::mount("tmpfs", path.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0;
  }
  ~Tmpfs() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }

 private:
  std::string path_;
  bool mounted_ = false;
};

TEST(AttestDiskFull, AFullFilesystemLeavesOutAsItWas) {
  TempDir dir;
  Tmpfs disk(dir.File("disk"), "16m");
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (not root); the file-size limit test covers this";
  FaultyEthNode node("none");
  const std::string config = WriteFaultConfig(dir, node.url());
  const std::string out = dir.File("disk/out");
  auto first = RunSegverifyProcess({"attest", config, "--out", out, "--quiet"}, dir);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const auto before = Snapshot(out);
  // Fill the disk but for 256 KiB: the new run's trees do not fit beside the old run.
  struct statvfs stats {};
  ASSERT_EQ(::statvfs(dir.File("disk").c_str(), &stats), 0);
  const std::uint64_t free_bytes = static_cast<std::uint64_t>(stats.f_bavail) * stats.f_frsize;
  ASSERT_GT(free_bytes, 256u * 1024);
  WriteFile(dir.File("disk/filler"), std::string(free_bytes - 256 * 1024, 'x'));
  WriteFile(dir.File("spot.csv"), LargeLiabilities());
  auto run = RunSegverifyProcess({"attest", config, "--out", out, "--quiet"}, dir);
  ExpectFailedWriteLeavesOutAsItWas(run, dir.File("disk"), out, before);
}

// --- Inputs checked before the first request; each error once ---------------------------------

struct InputCase {
  std::string name;
  std::function<void(const TempDir&)> spoil;  // breaks one input of the good run in DIR
  std::vector<std::string> extra_args;
  std::string must_name;
};

TEST(AttestInputs, EveryInputIsCheckedBeforeTheFirstRequestAndEachErrorPrintedOnce) {
  const std::vector<InputCase> cases = {
      {"missing liabilities", [](const TempDir& d) { fs::remove(d.File("spot.csv")); }, {}, "spot.csv: cannot open"},
      {"header of other assets",
       [](const TempDir& d) { WriteFile(d.File("spot.csv"), "account_id,BTC\nalice,1\n"); },
       {},
       "spot.csv:1:"},
      {"duplicate account id",
       [](const TempDir& d) { WriteFile(d.File("spot.csv"), "account_id,ETH\nalice,1\nbob,2\nalice,3\n"); },
       {},
       "duplicate account id \"alice\""},
      {"NUL-tailed config",
       [](const TempDir& d) {
         WriteFile(d.File("config.json"), ReadFile(d.File("config.json")) + std::string("\0{}", 3));
       },
       {},
       "config.json: invalid JSON"},
      {"missing replay recording", [](const TempDir&) {}, {"--replay", "no-such-dir"}, "--replay: "},
      {"missing nonce key file", [](const TempDir&) {}, {"--nonce-key-file", "no-such.key"}, "--nonce-key-file: "},
      {"malformed nonce key file",
       [](const TempDir& d) { WriteFile(d.File("nonce.key"), "00112233\n"); },
       {"--nonce-key-file", "NONCE"},
       "expected 64 hex characters"},
  };
  for (const InputCase& c : cases) {
    for (bool quiet : {true, false}) {
      SCOPED_TRACE(c.name + (quiet ? " (--quiet)" : ""));
      TempDir dir;
      const std::string log = dir.File("requests.jsonl");
      LoggedEthNode node(log);
      const std::string config = WriteFaultConfig(dir, node.url());
      c.spoil(dir);
      std::vector<std::string> args = {"attest", config, "--out", dir.File("out")};
      for (std::string arg : c.extra_args) args.push_back(arg == "NONCE" ? dir.File("nonce.key") : arg);
      if (quiet) args.push_back("--quiet");
      auto run = RunSegverifyMeasured(args, dir);
      ExpectCannotCheck(run, c.must_name);
      EXPECT_EQ(run.out, "");
      EXPECT_FALSE(FileExists(dir.File("out")));
      EXPECT_TRUE(StagingDirsIn(dir.path()).empty());
      EXPECT_TRUE(!FileExists(log) || ReadFile(log).empty()) << "requests were sent:\n" << ReadFile(log);
    }
  }
}

// Rows that cannot make a tree (a malformed amount, a column past 2^128-1) are a check that could
// not be done, in the report like a node that is down: exit 2, verdict ERROR, reproduced by a
// replay of the recording.
TEST(AttestInputs, LiabilitiesThatCannotMakeATreeAreCouldNotCheckInTheReport) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"account_id,ETH\nalice,-1\n", "spot.csv:2:"},
      {"account_id,ETH\na,340282366920938463463.374607431768211455\nb,0.000000000000000001\n", "2^128-1"},
  };
  for (const auto& [csv, must_name] : cases) {
    SCOPED_TRACE(must_name);
    TempDir dir;
    {
      FaultyEthNode node("none");
      const std::string config = WriteFaultConfig(dir, node.url());
      WriteFile(dir.File("spot.csv"), csv);
      auto run = RunSegverifyMeasured({"attest", config, "--out", dir.File("out"), "--quiet"}, dir);
      ExpectCannotCheck(run, must_name);
      EXPECT_EQ(VerdictIn(dir.File("out")), "ERROR");
    }
    const std::string report = ReadFile(dir.File("out/report.json"));
    auto replay = RunSegverifyMeasured({"attest", dir.File("config.json"), "--out", dir.File("replayed"), "--replay",
                                        dir.File("out/evidence"), "--quiet"},
                                       dir);
    ExpectCannotCheck(replay, must_name);
    EXPECT_EQ(ReadFile(dir.File("replayed/report.json")), report);
  }
}

TEST(AttestErrors, AnErrorOfTheRunIsPrintedOnceAndCounted) {
  for (bool quiet : {true, false}) {
    SCOPED_TRACE(quiet ? "--quiet" : "with progress");
    TempDir dir;
    const std::string config = WriteFaultConfig(dir, kClosedPort);
    std::vector<std::string> args = {"attest", config, "--out", dir.File("out")};
    if (quiet) args.push_back("--quiet");
    auto run = RunSegverifyMeasured(args, dir);
    ExpectCannotCheck(run, "http://127.0.0.1:9");
    EXPECT_EQ(run.out.find("127.0.0.1:9"), std::string::npos) << "the error is repeated on stdout:\n" << run.out;
    EXPECT_NE(run.out.find("  1 check could not be done (on stderr and in report.json)\n"), std::string::npos)
        << run.out;
    EXPECT_EQ(VerdictIn(dir.File("out")), "ERROR");
  }
}

TEST(AttestErrors, AFullStdoutIsExitTwo) {
  FaultyEthNode node("none");
  TempDir dir;
  const std::string config = WriteFaultConfig(dir, node.url());
  ProcessOptions options;
  options.stdout_path = "/dev/full";
  auto run = RunSegverifyProcess({"attest", config, "--out", dir.File("out"), "--quiet", "--json"}, dir, options);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(ErrorLines(run.err),
            std::vector<std::string>{"segverify: error: cannot write to standard output: No space left on device"});
}

// --- Progress -----------------------------------------------------------------------------------

TEST(AttestProgress, SparseLinesToAFileNoneWithQuietOneLineOnATerminal) {
  FaultyEthNode node("none");
  TempDir dir;
  const std::string config = WriteFaultConfig(dir, node.url());
  auto quiet = RunSegverifyProcess({"attest", config, "--out", dir.File("out"), "--quiet"}, dir);
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.err, "");

  auto to_file = RunSegverifyProcess({"attest", config, "--out", dir.File("out")}, dir);
  EXPECT_EQ(to_file.exit_code, 0) << to_file.err;
  EXPECT_EQ(to_file.err.find('\r'), std::string::npos);
  for (const char* line : {"pool spot: hashing leaves and nodes 100% (2/2)\n", "ethereum: reading balances 100% (1/1)\n",
                           "verifying ownership proofs 100% (1/1)\n",
                           "attest: reading 1 ethereum address at block 16 "
                           "from 1 source\n"}) {
    EXPECT_NE(to_file.err.find(line), std::string::npos) << line << " missing from:\n" << to_file.err;
  }

  ProcessOptions terminal;
  terminal.stderr_on_terminal = true;
  auto on_terminal = RunSegverifyProcess({"attest", config, "--out", dir.File("out")}, dir, terminal);
  EXPECT_EQ(on_terminal.exit_code, 0) << on_terminal.err;
  // Rewritten in place: each update starts with "\r" and an erase-line sequence.
  EXPECT_NE(on_terminal.err.find("\r\x1b[Kverifying ownership proofs 100% (1/1)"), std::string::npos)
      << on_terminal.err;
}

}  // namespace
}  // namespace segverify::testing
