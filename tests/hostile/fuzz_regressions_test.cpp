// Replays every input kept in tests/hostile/corpus/<target>/ (crashes and hangs the fuzzers
// found, plus hand-made hostile inputs) through the fuzz entry of that target. An entry aborts
// when a library invariant breaks, and the sanitizer build turns memory errors into crashes, so
// a regression fails this test.
#include <chrono>
#include <filesystem>
#include <set>

#include <gtest/gtest.h>

#include "fuzz/entries/fuzz_entries.h"
#include "tests/support/test_support.h"

namespace segverify::testing {
namespace {

namespace fs = std::filesystem;

std::size_t ReplayFolder(const fuzz::FuzzEntry& entry, const fs::path& folder) {
  if (!fs::is_directory(folder)) return 0;
  std::size_t replayed = 0;
  for (const auto& file : fs::directory_iterator(folder)) {
    if (!file.is_regular_file() || file.path().filename().string().front() == '.') continue;
    SCOPED_TRACE(file.path().string());
    const std::string bytes = ReadFile(file.path().string());
    const auto start = std::chrono::steady_clock::now();
    entry.run(fuzz::FuzzInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 10.0) << "took " << seconds << " s";
    ++replayed;
  }
  return replayed;
}

TEST(FuzzRegressions, EveryCorpusFolderBelongsToAnEntry) {
  std::set<std::string> names;
  for (const auto& entry : fuzz::AllFuzzEntries()) names.insert(std::string(entry.name));
  for (const auto& folder : fs::directory_iterator(SourcePath("tests/hostile/corpus"))) {
    if (!folder.is_directory()) continue;
    EXPECT_TRUE(names.count(folder.path().filename().string())) << "no fuzz entry for " << folder.path();
  }
}

TEST(FuzzRegressions, EveryKeptInputReplaysCleanly) {
  std::size_t replayed = 0;
  for (const auto& entry : fuzz::AllFuzzEntries()) {
    SCOPED_TRACE(std::string(entry.name));
    replayed += ReplayFolder(entry, SourcePath("tests/hostile/corpus/" + std::string(entry.name)));
  }
  EXPECT_GT(replayed, 0u) << "the regression corpus is empty";
}

}  // namespace
}  // namespace segverify::testing
