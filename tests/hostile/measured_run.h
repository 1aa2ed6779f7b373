// Runs the segverify binary on hostile input and measures what it cost: wall time and the
// child's peak resident memory, with a hard kill after a time limit so a hang fails the test
// instead of stalling the suite (tests/support/segverify_process.h does the running).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/segverify_process.h"

namespace segverify::testing {

using MeasuredRun = ProcessResult;

// Peak-memory bounds are for the real binary. Under ASan its shadow memory and the quarantine of
// freed blocks (256 MB by default) add hundreds of MB to a run that reallocates a large buffer
// (a 64 MB body: 87 MB normally, 313 MB sanitized), so the sanitized suite scales every bound; it
// still catches a run that holds gigabytes.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr long kMemoryBoundScale = 4;
#else
inline constexpr long kMemoryBoundScale = 1;
#endif

// Runs `segverify args...` with stdout/stderr captured in files of `scratch` and its peak memory
// measured; kills it after `limit`.
inline MeasuredRun RunSegverifyMeasured(const std::vector<std::string>& args, const TempDir& scratch,
                                        std::chrono::seconds limit = std::chrono::seconds(60)) {
  ProcessOptions options;
  options.measure_memory = true;
  MeasuredRun run = RunSegverifyProcess(args, scratch, options, limit);
  // A bound on memory must not pass because nothing was measured.
  if (!run.timed_out && run.max_rss_kb <= 0) ADD_FAILURE() << "peak memory of the run was not measured";
  return run;
}

// The lines of `text` that start with "segverify: error:".
inline std::vector<std::string> ErrorLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (line.rfind("segverify: error:", 0) == 0) lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

// Exit 2 with exactly one error line that mentions `must_name` (a file, field or source), and
// no crash, no sanitizer report.
inline void ExpectCannotCheck(const MeasuredRun& run, const std::string& must_name) {
  EXPECT_FALSE(run.timed_out) << "killed after " << run.seconds << " s";
  EXPECT_EQ(run.exit_code, 2) << "stdout: " << run.out << "\nstderr: " << run.err;
  auto lines = ErrorLines(run.err);
  ASSERT_EQ(lines.size(), 1u) << "stderr: " << run.err;
  EXPECT_NE(lines[0].find(must_name), std::string::npos) << "error does not name " << must_name << ": " << lines[0];
  EXPECT_EQ(run.err.find("Sanitizer"), std::string::npos) << run.err;
}

}  // namespace segverify::testing
