// Runs the segverify binary on hostile input and measures what it cost: wall time and the
// child's peak resident memory (wait4's ru_maxrss), with a hard kill after a time limit so a
// hang fails the test instead of stalling the suite.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/test_support.h"

namespace segverify::testing {

struct MeasuredRun {
  int exit_code = -1;  // -1: killed (time limit) or died from a signal
  bool timed_out = false;
  std::string out;
  std::string err;
  double seconds = 0;
  long max_rss_kb = 0;
};

// Runs `segverify args...` with stdout/stderr captured in files of `scratch`; kills it after
// `limit`. No shell is involved.
inline MeasuredRun RunSegverifyMeasured(const std::vector<std::string>& args, const TempDir& scratch,
                                        std::chrono::seconds limit = std::chrono::seconds(60)) {
  const std::string out_path = scratch.File(".measured.out");
  const std::string err_path = scratch.File(".measured.err");
  std::vector<std::string> argv_text = {SEGVERIFY_BINARY};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);

  MeasuredRun run;
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int in = open("/dev/null", O_RDONLY);
    if (out < 0 || err < 0 || in < 0) _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  if (pid < 0) {
    ADD_FAILURE() << "fork failed";
    return run;
  }
  int status = 0;
  rusage usage{};
  while (true) {
    const pid_t done = wait4(pid, &status, WNOHANG, &usage);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() - start > limit) {
      kill(pid, SIGKILL);
      wait4(pid, &status, 0, &usage);
      run.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.max_rss_kb = usage.ru_maxrss;
  if (!run.timed_out && WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  run.out = ReadFile(out_path);
  run.err = ReadFile(err_path);
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
