// The test build's hooks (common/test_hook.h), linked only into `segverify-with-test-hooks`: these
// strong definitions replace the shipped binary's empty weak ones.
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <string_view>

#include "common/test_hook.h"

namespace segverify {

void TestPausePoint(std::string_view point) {
  const char* wanted = std::getenv("SEGVERIFY_TEST_PAUSE_AT");
  if (wanted == nullptr || std::string_view(wanted) != point) return;
  const std::string line = "segverify: test pause at " + std::string(point) + "\n";
  (void)!::write(STDERR_FILENO, line.data(), line.size());
  while (true) ::pause();
}

// Points `attest` passes, in order (verifier/attest/attestation_run.cpp): "staged", "trees",
// "balances", "report" (report written, not yet swapped in).
void TestCrashPoint(std::string_view point) {
  const char* spec = std::getenv("SEGVERIFY_TEST_CRASH_AT");
  if (spec == nullptr) return;
  const std::string_view text(spec);
  const std::size_t colon = text.find(':');
  if (text.substr(0, colon) != point) return;
  const std::string_view name = colon == std::string_view::npos ? "KILL" : text.substr(colon + 1);
  ::kill(::getpid(), name == "TERM" ? SIGTERM : name == "INT" ? SIGINT : SIGKILL);
  for (;;) ::pause();  // the signal (or the cleanup thread it wakes) ends the process
}

}  // namespace segverify
