#include "common/test_hook.h"

namespace segverify {

// Weak and empty: the shipped binary reads no test variable. The test build's strong definitions
// (tests/support/test_hooks.cpp) replace these at link time.
[[gnu::weak]] void TestPausePoint(std::string_view) {}
[[gnu::weak]] void TestCrashPoint(std::string_view) {}

}  // namespace segverify
