// How tests run the segverify binary as a process of its own (started by Spawn, process.h):
// stdout sent to a given path (/dev/full), extra environment (a crash or pause point,
// SEGVERIFY_TEST_PAUSE_AT), a file-size limit (ulimit -f), stderr on a pseudo-terminal, a process
// that can be signalled while it runs, and what it cost (wall time; peak resident memory through
// peak_memory_probe.cpp). No shell is involved. The child is always waited for (and SIGKILLed
// after the time limit), so none outlives a test.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace segverify::testing {

struct ProcessOptions {
  std::string stdout_path;       // empty: captured in the scratch directory
  std::vector<std::string> env;  // "NAME=value", added to the inherited environment
  long file_size_limit = -1;     // bytes (RLIMIT_FSIZE, what `ulimit -f` sets); -1: none
  bool stderr_on_terminal = false;
  // Run under tests/support/peak_memory_probe.cpp so that max_rss_kb is segverify's own peak and
  // not the test process's (the pid then is the probe's; its exit mirrors segverify's).
  bool measure_memory = false;
  // Run the test build (SEGVERIFY_TEST_HOOKS_BINARY), whose pause and crash points
  // (common/test_hook.h) obey SEGVERIFY_TEST_PAUSE_AT / SEGVERIFY_TEST_CRASH_AT; the shipped
  // binary ignores them.
  bool test_hooks = false;
};

struct ProcessResult {
  int exit_code = -1;  // -1 when ended by a signal or killed at the time limit
  int signal = 0;      // the signal that ended it, if any
  bool timed_out = false;
  std::string out;
  std::string err;  // with stderr_on_terminal: everything written to the terminal
  double seconds = 0;
  long max_rss_kb = 0;  // with measure_memory: segverify's peak resident memory (KiB), else 0
};

class SegverifyProcess {
 public:
  SegverifyProcess(const std::vector<std::string>& args, const TempDir& scratch, ProcessOptions options = {})
      : out_path_(options.stdout_path.empty() ? scratch.File(".process.out") : options.stdout_path),
        err_path_(scratch.File(".process.err")),
        rss_path_(options.measure_memory ? scratch.File(".process.rss") : ""),
        start_(std::chrono::steady_clock::now()) {
    const std::string binary = options.test_hooks ? SEGVERIFY_TEST_HOOKS_BINARY : SEGVERIFY_BINARY;
    std::vector<std::string> argv_text = {binary};
    if (options.measure_memory) {
      ::unlink(rss_path_.c_str());
      argv_text = {SEGVERIFY_PEAK_MEMORY_PROBE, rss_path_, binary};
    }
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    int slave = -1;
    if (options.stderr_on_terminal && ::openpty(&terminal_, &slave, nullptr, nullptr, nullptr) != 0) {
      throw std::runtime_error("openpty failed");
    }
    SpawnOptions spawn;
    spawn.out = ChildStream::kFile;
    spawn.out_path = out_path_;
    if (slave >= 0) {
      spawn.err = ChildStream::kFd;
      spawn.err_fd = slave;
      spawn.new_session = true;
    } else {
      spawn.err = ChildStream::kFile;
      spawn.err_path = err_path_;
    }
    spawn.env = options.env;
    spawn.file_size_limit = options.file_size_limit;
    pid_ = Spawn(argv_text.front(), {argv_text.begin() + 1, argv_text.end()}, spawn).pid;
    if (slave >= 0) ::close(slave);
  }

  ~SegverifyProcess() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      Reaped(0);
    }
    if (terminal_ >= 0) ::close(terminal_);
  }
  SegverifyProcess(const SegverifyProcess&) = delete;
  SegverifyProcess& operator=(const SegverifyProcess&) = delete;

  pid_t pid() const { return pid_; }
  // What it wrote to stderr so far (not on a terminal), without waiting for the end.
  std::string ErrSoFar() const { return FileExists(err_path_) ? ReadFile(err_path_) : ""; }
  void Signal(int signo) { ::kill(pid_, signo); }

  // Waits until stderr says the run stopped at `point` (true), or it ended or 60 s passed (false).
  bool WaitForPause(const std::string& point) {
    const std::string marker = "segverify: test pause at " + point;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      if (FileExists(err_path_) && ReadFile(err_path_).find(marker) != std::string::npos) return true;
      if (Reaped(WNOHANG)) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  ProcessResult Wait(std::chrono::seconds limit = std::chrono::seconds(60)) {
    if (result_) return *result_;
    ProcessResult run;
    std::string terminal_text;
    while (true) {
      DrainTerminal(terminal_text);
      if (Reaped(WNOHANG)) break;
      if (std::chrono::steady_clock::now() - start_ > limit) {
        ::kill(pid_, SIGKILL);
        Reaped(0);
        run.timed_out = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    DrainTerminal(terminal_text);
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (!rss_path_.empty() && FileExists(rss_path_)) run.max_rss_kb = std::stol(ReadFile(rss_path_));
    if (!run.timed_out && WIFEXITED(status_)) run.exit_code = WEXITSTATUS(status_);
    if (!run.timed_out && WIFSIGNALED(status_)) run.signal = WTERMSIG(status_);
    if (FileExists(out_path_) && out_path_.rfind("/dev/", 0) != 0) run.out = ReadFile(out_path_);
    run.err = terminal_ >= 0 ? terminal_text : (FileExists(err_path_) ? ReadFile(err_path_) : "");
    result_ = run;
    return run;
  }

 private:
  // True once the child has ended and been reaped (its status and usage kept).
  bool Reaped(int flags) {
    if (!reaped_ && ::waitpid(pid_, &status_, flags) == pid_) reaped_ = true;
    return reaped_;
  }

  // Reads what the child wrote to the terminal so far (it would block on a full terminal).
  void DrainTerminal(std::string& text) {
    if (terminal_ < 0) return;
    char buffer[4096];
    while (true) {
      pollfd fd{terminal_, POLLIN, 0};
      if (::poll(&fd, 1, 0) <= 0 || (fd.revents & POLLIN) == 0) return;
      const ssize_t n = ::read(terminal_, buffer, sizeof buffer);
      if (n <= 0) return;  // EIO once the child closed its side
      text.append(buffer, static_cast<std::size_t>(n));
    }
  }

  std::string out_path_;
  std::string err_path_;
  std::string rss_path_;  // empty unless measure_memory
  std::chrono::steady_clock::time_point start_;
  pid_t pid_ = -1;
  int terminal_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::optional<ProcessResult> result_;
};

// Options that stop the run (of the test build) at a named pause point (SEGVERIFY_TEST_PAUSE_AT,
// common/test_hook.h), where it waits to be signalled.
inline ProcessOptions PausedAt(const std::string& point) {
  ProcessOptions options;
  options.env = {"SEGVERIFY_TEST_PAUSE_AT=" + point};
  options.test_hooks = true;
  return options;
}

// Options that end the run (of the test build) at a named crash point by a signal
// (SEGVERIFY_TEST_CRASH_AT, common/test_hook.h): "KILL", "TERM" or "INT".
inline ProcessOptions CrashedAt(const std::string& point, const std::string& signal_name) {
  ProcessOptions options;
  options.env = {"SEGVERIFY_TEST_CRASH_AT=" + point + ":" + signal_name};
  options.test_hooks = true;
  return options;
}

inline ProcessResult RunSegverifyProcess(const std::vector<std::string>& args, const TempDir& scratch,
                                         ProcessOptions options = {},
                                         std::chrono::seconds limit = std::chrono::seconds(60)) {
  SegverifyProcess process(args, scratch, std::move(options));
  return process.Wait(limit);
}

}  // namespace segverify::testing
