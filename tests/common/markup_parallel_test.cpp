// Pins common/markup.h (the one HTML/SVG escaper every page and the badge use) and
// common/parallel.h (the one thread fan-out): each index runs exactly once, on at most the
// threads asked for, and one thread means the caller's.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "common/markup.h"
#include "common/parallel.h"

namespace segverify {
namespace {

TEST(EscapeMarkup, EscapesTheFiveCharactersAndNothingElse) {
  EXPECT_EQ(EscapeMarkup(R"(<a href="x">Tom & Jerry's</a>)"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  EXPECT_EQ(EscapeMarkup("plain text, \xc3\xa9t\xc3\xa9 / 100 %"), "plain text, \xc3\xa9t\xc3\xa9 / 100 %");
  EXPECT_EQ(EscapeMarkup("&amp;"), "&amp;amp;") << "text is never taken for markup already escaped";
  EXPECT_EQ(EscapeMarkup(""), "");
}

TEST(RunParallel, EveryIndexRunsExactlyOnce) {
  for (unsigned threads : {0u, 1u, 2u, 3u, 8u}) {
    for (std::size_t count : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{1000}}) {
      std::vector<std::atomic<int>> runs(count);
      RunParallel(count, threads, [&](std::size_t i) { runs[i].fetch_add(1); });
      for (std::size_t i = 0; i < count; ++i) EXPECT_EQ(runs[i].load(), 1) << "threads " << threads << " i " << i;
    }
  }
}

TEST(RunParallel, UsesAtMostTheThreadsAskedForAndTheCallerForOne) {
  std::mutex mutex;
  std::set<std::thread::id> seen;
  RunParallel(100, 3, [&](std::size_t) {
    std::lock_guard<std::mutex> lock(mutex);
    seen.insert(std::this_thread::get_id());
  });
  EXPECT_LE(seen.size(), 3u);
  seen.clear();
  RunParallel(100, 1, [&](std::size_t) { seen.insert(std::this_thread::get_id()); });
  EXPECT_EQ(seen, std::set<std::thread::id>{std::this_thread::get_id()});
  EXPECT_GE(DefaultThreads(), 1u);
}

}  // namespace
}  // namespace segverify
