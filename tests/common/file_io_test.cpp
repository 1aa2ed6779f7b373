// Pins common/file_io.* and common/staging_dir.*: an AtomicFile shows up whole or not at all and
// leaves nothing beside its target; a staging directory is removed unless published, publishes
// by rename or by exchange with an earlier output, and the stale-directory cleanup removes only
// directories of its own pattern, with the marker, of processes that are gone.
#include "common/file_io.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "common/staging_dir.h"
#include "tests/support/test_support.h"

namespace segverify {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

std::vector<std::string> Names(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(AtomicFile, CommitReplacesWholeAndAbandonLeavesNothing) {
  TempDir dir;
  WriteFile(dir.File("out.json"), "old");
  {
    auto file = AtomicFile::Create(dir.File("out.json"));
    ASSERT_TRUE(file.ok()) << file.error().message;
    ASSERT_TRUE(file->Write("new content").ok());
    EXPECT_EQ(ReadFile(dir.File("out.json")), "old");  // not yet
    EXPECT_EQ(Names(dir.path()).size(), 2u);           // the target and one staging directory
  }                                                    // destroyed uncommitted
  EXPECT_EQ(ReadFile(dir.File("out.json")), "old");
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"out.json"});
  ASSERT_TRUE(WriteFileAtomic(dir.File("out.json"), "new").ok());
  EXPECT_EQ(ReadFile(dir.File("out.json")), "new");
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"out.json"});
  EXPECT_FALSE(WriteFileAtomic(dir.File("missing/out.json"), "x").ok());
  EXPECT_FALSE(WriteFileAtomic(dir.path(), "x").ok());  // a directory is not replaced by a file
}

TEST(OutputFile, AppendsAndPositionedWritesMeetInOneFile) {
  TempDir dir;
  auto file = OutputFile::Create(dir.File("f"));
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file->Write("....world").ok());
  ASSERT_TRUE(file->Write(std::string(3 << 20, 'x')).ok());  // bigger than the buffer: written directly
  ASSERT_TRUE(file->Flush().ok());
  ASSERT_TRUE(file->WriteAt(0, "hell", 4).ok());
  EXPECT_EQ(file->appended(), 9u + (3u << 20));
  ASSERT_TRUE(file->Close(Durability::kDurable).ok());
  const std::string content = ReadFile(dir.File("f"));
  EXPECT_EQ(content.substr(0, 9), "hellworld");
  EXPECT_EQ(content.size(), 9u + (3u << 20));
  EXPECT_FALSE(file->Write("late").ok());
}

TEST(StagingDir, PublishesByRenameOrExchangeAndOtherwiseRemovesItself) {
  TempDir dir;
  {
    auto staging = StagingDir::Create(dir.path());
    ASSERT_TRUE(staging.ok());
    EXPECT_TRUE(IsStagingDirName(fs::path(staging->path()).filename().string()));
    EXPECT_TRUE(fs::exists(staging->path() + "/" + std::string(kStagingMarker)));
    fs::create_directories(staging->out());
  }
  EXPECT_TRUE(Names(dir.path()).empty());

  auto first = StagingDir::Create(dir.path());
  ASSERT_TRUE(first.ok());
  fs::create_directories(first->out());
  WriteFile(first->out() + "/a", "1");
  ASSERT_TRUE(first->Publish(dir.File("target")).ok());
  first->Remove();
  EXPECT_EQ(ReadFile(dir.File("target/a")), "1");

  auto second = StagingDir::Create(dir.path());
  ASSERT_TRUE(second.ok());
  fs::create_directories(second->out());
  WriteFile(second->out() + "/b", "2");
  EXPECT_FALSE(second->Publish(dir.File("target")).ok());  // a non-empty directory is not renamed over
  ASSERT_TRUE(second->PublishReplacing(dir.File("target")).ok());
  EXPECT_EQ(ReadFile(second->out() + "/a"), "1");  // the old output is now in the staging directory
  second->Remove();
  EXPECT_EQ(Names(dir.File("target")), std::vector<std::string>{"b"});
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"target"});
}

TEST(StagingDir, StaleCleanupTakesOnlyDeadRunsOfItsOwnPattern) {
  TempDir dir;
  auto make = [&](const std::string& name, bool marker) {
    fs::create_directories(dir.File(name));
    if (marker) WriteFile(dir.File(name + "/" + std::string(kStagingMarker)), "m");
  };
  make(".segverify-tmp-999999999-00112233aabbccdd", true);                         // dead: removed
  make(".segverify-tmp-" + std::to_string(getppid()) + "-00112233aabbccdd", true);  // alive: kept
  make(".segverify-tmp-999999999-00112233aabbccde", false);                        // no marker: kept
  make(".segverify-tmp-999999999-00112233AABBCCDD", true);                         // not the pattern
  make(".segverify-tmp-x-00112233aabbccdd", true);                                 // not the pattern
  make("segverify-tmp-999999999-00112233aabbccdd", true);                          // not the pattern
  WriteFile(dir.File(".segverify-tmp-999999999-0011223344556677"), "a file, not a directory");
  RemoveStaleStagingDirs(dir.path());
  const auto left = Names(dir.path());
  EXPECT_EQ(left.size(), 6u);
  EXPECT_EQ(std::count(left.begin(), left.end(), ".segverify-tmp-999999999-00112233aabbccdd"), 0);
}

}  // namespace
}  // namespace segverify
