// StagedDirectory: an output directory is replaced whole or not at all (docs/DESIGN.md
// §Outputs are all or nothing). Checked from the outside: what is on disk after a commit, an
// abandon, a signal, and what a later run removes of a killed run's temporaries.
#include "common/output_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace segverify {
namespace {

namespace fs = std::filesystem;
using testing::FileExists;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

std::vector<std::string> Names(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// A pid that is certainly not running: a child that has exited and been reaped.
pid_t DeadPid() {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  int status = 0;
  waitpid(child, &status, 0);
  return child;
}

TEST(StagedDirectory, CommitCreatesTheDirectoryAndLeavesNoTemporary) {
  TempDir dir;
  auto staged = StagedDirectory::Create(dir.File("out"));
  ASSERT_TRUE(staged.ok()) << staged.error().message;
  // DIR/.segverify-tmp-<pid>-<hex>/out: a staging directory beside DIR (staging_dir.h).
  const fs::path staging = fs::path(staged->path()).parent_path();
  EXPECT_EQ(staging.parent_path(), fs::path(dir.path()));
  EXPECT_EQ(staging.filename().string().rfind(".segverify-tmp-" + std::to_string(getpid()) + "-", 0), 0u);
  EXPECT_TRUE(IsStagingDirName(staging.filename().string()));
  EXPECT_FALSE(FileExists(dir.File("out")));
  WriteFile(staged->path() + "/report.json", "new");
  ASSERT_TRUE(staged->Commit().ok());
  EXPECT_EQ(ReadFile(dir.File("out/report.json")), "new");
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"out"});
}

TEST(StagedDirectory, CommitReplacesTheOldDirectoryWholeAndKeepsItsPermissions) {
  TempDir dir;
  fs::create_directories(dir.File("out/pools/old"));
  WriteFile(dir.File("out/report.json"), "old");
  WriteFile(dir.File("out/pools/old/root.json"), "old");
  ASSERT_EQ(chmod(dir.File("out").c_str(), 0700), 0);
  auto staged = StagedDirectory::Create(dir.File("out"));
  ASSERT_TRUE(staged.ok()) << staged.error().message;
  fs::create_directories(staged->path() + "/pools/new");
  WriteFile(staged->path() + "/report.json", "new");
  // Until the commit, the old run is what DIR holds.
  EXPECT_EQ(ReadFile(dir.File("out/report.json")), "old");
  ASSERT_TRUE(staged->Commit().ok());
  EXPECT_EQ(ReadFile(dir.File("out/report.json")), "new");
  EXPECT_FALSE(FileExists(dir.File("out/pools/old")));
  EXPECT_TRUE(fs::is_directory(dir.File("out/pools/new")));
  EXPECT_EQ(fs::status(dir.File("out")).permissions() & fs::perms::all, fs::perms::owner_all);
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"out"});
}

TEST(StagedDirectory, AbandonOrDestructionLeavesTheOldDirectoryAsItWas) {
  TempDir dir;
  fs::create_directories(dir.File("out"));
  WriteFile(dir.File("out/report.json"), "old");
  {
    auto staged = StagedDirectory::Create(dir.File("out"));
    ASSERT_TRUE(staged.ok());
    WriteFile(staged->path() + "/report.json", "half");
  }
  EXPECT_EQ(ReadFile(dir.File("out/report.json")), "old");
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"out"});
  auto again = StagedDirectory::Create(dir.File("out"));
  ASSERT_TRUE(again.ok());
  again->Abandon();
  EXPECT_FALSE(again->Commit().ok());
  EXPECT_EQ(ReadFile(dir.File("out/report.json")), "old");
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"out"});
}

TEST(StagedDirectory, RefusesAFinalPathThatIsAFile) {
  TempDir dir;
  WriteFile(dir.File("out"), "a file");
  auto staged = StagedDirectory::Create(dir.File("out"));
  ASSERT_FALSE(staged.ok());
  EXPECT_NE(staged.error().message.find("not a directory"), std::string::npos) << staged.error().message;
}

TEST(StagedDirectory, ATrailingSlashStagesBesideTheDirectory) {
  TempDir dir;
  auto staged = StagedDirectory::Create(dir.File("out/"));
  ASSERT_TRUE(staged.ok());
  EXPECT_EQ(fs::path(staged->path()).parent_path().parent_path(), fs::path(dir.path()));
  ASSERT_TRUE(staged->Commit().ok());
  EXPECT_TRUE(fs::is_directory(dir.File("out")));
}

TEST(StagedDirectory, DotAndDotDotNameTheDirectoryItself) {
  TempDir dir;
  fs::create_directories(dir.File("out/sub"));
  for (const std::string& name : {dir.File("out/."), dir.File("out/sub/..")}) {
    auto staged = StagedDirectory::Create(name);
    ASSERT_TRUE(staged.ok()) << staged.error().message;
    EXPECT_EQ(fs::path(staged->path()).parent_path().parent_path(), fs::path(dir.path())) << name;
    EXPECT_EQ(staged->final_path(), dir.File("out"));
  }
  EXPECT_FALSE(StagedDirectory::Create("/").ok());
}

TEST(StagedDirectory, ALinkIsFollowedSoItsTargetIsReplaced) {
  TempDir dir;
  fs::create_directories(dir.File("real"));
  WriteFile(dir.File("real/report.json"), "old");
  fs::create_directory_symlink(dir.File("real"), dir.File("link"));
  for (const std::string& name : {dir.File("link"), dir.File("link/")}) {
    auto staged = StagedDirectory::Create(name);
    ASSERT_TRUE(staged.ok());
    WriteFile(staged->path() + "/report.json", "new " + name);
    ASSERT_TRUE(staged->Commit().ok());
    EXPECT_TRUE(fs::is_symlink(dir.File("link")));
    EXPECT_EQ(ReadFile(dir.File("link/report.json")), "new " + name);
    EXPECT_EQ(ReadFile(dir.File("real/report.json")), "new " + name);
  }
}

TEST(StagedDirectory, StaleTemporariesOfDeadProcessesAreRemovedOthersKept) {
  TempDir dir;
  const std::string dead = ".segverify-tmp-" + std::to_string(DeadPid()) + "-0123456789abcdef";
  const std::string alive = ".segverify-tmp-" + std::to_string(getppid()) + "-0123456789abcdef";
  // Our own pid, but not one of our staging directories: a container reusing pids.
  const std::string own = ".segverify-tmp-" + std::to_string(getpid()) + "-fedcba9876543210";
  for (const std::string& name : {dead, alive, own}) {
    fs::create_directories(dir.File(name + "/out/pools/spot"));
    WriteFile(dir.File(name + "/" + std::string(kStagingMarker)), "marker");
  }
  WriteFile(dir.File(dead + "/out/pools/spot/accounts.dat"), "secret balances");
  // Names that only look alike.
  for (const char* name : {".segverify-tmp-", ".segverify-tmp-x-1", ".segverify-tmp-12", "segverify-tmp-1-a",
                           ".segverify-tmpl-1-a", "out.tmp-1-0"}) {
    WriteFile(dir.File(name), "user file");
  }
  auto staged = StagedDirectory::Create(dir.File("out"));
  ASSERT_TRUE(staged.ok());
  EXPECT_FALSE(FileExists(dir.File(dead)));
  EXPECT_FALSE(FileExists(dir.File(own)));
  EXPECT_TRUE(FileExists(dir.File(alive)));
  for (const char* name : {".segverify-tmp-", ".segverify-tmp-x-1", ".segverify-tmp-12", "segverify-tmp-1-a",
                           ".segverify-tmpl-1-a", "out.tmp-1-0"}) {
    EXPECT_TRUE(FileExists(dir.File(name))) << name;
  }
  // Our own live staging directory is never stale to ourselves.
  RemoveStaleStagingDirs(dir.path());
  EXPECT_TRUE(FileExists(staged->path()));
}

TEST(CheckReplaceable, OnlyAbsentEmptyOrEarlierOutput) {
  TempDir dir;
  EXPECT_TRUE(CheckReplaceable(dir.File("missing"), {"report.json"}, "--out").ok());
  fs::create_directories(dir.File("empty"));
  EXPECT_TRUE(CheckReplaceable(dir.File("empty"), {"report.json"}, "--out").ok());
  fs::create_directories(dir.File("earlier"));
  WriteFile(dir.File("earlier/report.json"), "{}");
  EXPECT_TRUE(CheckReplaceable(dir.File("earlier"), {"report.json"}, "--out").ok());
  fs::create_directories(dir.File("home"));
  WriteFile(dir.File("home/notes.txt"), "mine");
  Status home = CheckReplaceable(dir.File("home"), {"report.json", "evidence"}, "--out");
  ASSERT_FALSE(home.ok());
  EXPECT_EQ(home.message(), "--out: " + dir.File("home") +
                                " is not empty and holds no report.json or evidence of an earlier run; it would be "
                                "replaced whole, so give a new or empty directory");
  WriteFile(dir.File("file"), "x");
  EXPECT_FALSE(CheckReplaceable(dir.File("file"), {"report.json"}, "--out").ok());
}

// SIGTERM and SIGINT while a staging directory is open: it is removed, DIR is as it was, and the
// process still ends by the signal (exit status 128 + n in a shell).
void ExpectSignalCleansUp(int signo) {
  TempDir dir;
  fs::create_directories(dir.File("out"));
  WriteFile(dir.File("out/report.json"), "old");
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  if (child == 0) {
    InstallInterruptCleanup();
    auto staged = StagedDirectory::Create(dir.File("out"));
    if (!staged.ok()) _exit(3);
    WriteFile(staged->path() + "/report.json", "half");
    if (write(ready[1], "r", 1) != 1) _exit(4);
    while (true) pause();
  }
  close(ready[1]);
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  close(ready[0]);
  EXPECT_EQ(Names(dir.path()).size(), 2u);  // out and the staging directory
  kill(child, signo);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << status;
  EXPECT_EQ(WTERMSIG(status), signo);
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"out"});
  EXPECT_EQ(ReadFile(dir.File("out/report.json")), "old");
}

TEST(StagedDirectory, SigtermRemovesTheStagingDirectory) { ExpectSignalCleansUp(SIGTERM); }
TEST(StagedDirectory, SigintRemovesTheStagingDirectory) { ExpectSignalCleansUp(SIGINT); }

}  // namespace
}  // namespace segverify
