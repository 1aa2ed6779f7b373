// Named points where a test can stop a run, to kill it there (kill -9, SIGTERM) and check what is
// left on disk. Only tests set SEGVERIFY_TEST_PAUSE_AT; with it unset (always, in production) a
// pause point costs one getenv.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <string_view>

namespace segverify {

// When SEGVERIFY_TEST_PAUSE_AT equals `point`: writes "segverify: test pause at <point>" to
// stderr and waits for a signal forever.
inline void TestPausePoint(std::string_view point) {
  const char* wanted = std::getenv("SEGVERIFY_TEST_PAUSE_AT");
  if (wanted == nullptr || std::string_view(wanted) != point) return;
  const std::string line = "segverify: test pause at " + std::string(point) + "\n";
  (void)!::write(STDERR_FILENO, line.data(), line.size());
  while (true) ::pause();
}

}  // namespace segverify
