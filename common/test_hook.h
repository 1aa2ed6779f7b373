// Named points where a test can stop a run — to kill it there (kill -9, SIGTERM) and check what is
// left on disk.
//
// The shipped binary has no hooks: the definitions in common/test_hook.cpp are weak and do
// nothing. Only the test build of the CLI (`segverify-with-test-hooks`, tests/CMakeLists.txt) links
// tests/support/test_hooks.cpp, whose strong definitions read SEGVERIFY_TEST_PAUSE_AT and
// SEGVERIFY_TEST_CRASH_AT; tests/cli/test_hooks_test.cpp checks that the shipped binary ignores
// both variables.
#pragma once

#include <string_view>

namespace segverify {

// Test build: when SEGVERIFY_TEST_PAUSE_AT equals `point`, writes "segverify: test pause at
// <point>" to stderr and waits for a signal forever. Shipped binary: nothing.
void TestPausePoint(std::string_view point);

// Test build: when SEGVERIFY_TEST_CRASH_AT is `point`, `point:KILL`, `point:TERM` or `point:INT`,
// the process sends itself that signal (KILL when none is named), as a kill -9 or an operator's
// Ctrl-C would end it there. Shipped binary: nothing.
void TestCrashPoint(std::string_view point);

}  // namespace segverify
