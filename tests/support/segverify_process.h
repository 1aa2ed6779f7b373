// Runs the segverify binary the way the all-or-nothing tests need: stdout sent to a given path
// (/dev/full), extra environment (a crash point), a file-size limit (ulimit -f), stderr on a
// pseudo-terminal, and a process that can be signalled while it runs. No shell is involved.
// The child is always waited for (and SIGKILLed after the time limit), so none outlives a test.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_support.h"

namespace segverify::testing {

struct ProcessOptions {
  std::string stdout_path;       // empty: captured in the scratch directory
  std::vector<std::string> env;  // "NAME=value", added to the inherited environment
  long file_size_limit = -1;     // bytes (RLIMIT_FSIZE, what `ulimit -f` sets); -1: none
  bool stderr_on_terminal = false;
};

struct ProcessResult {
  int exit_code = -1;  // -1 when ended by a signal or killed at the time limit
  int signal = 0;      // the signal that ended it, if any
  bool timed_out = false;
  std::string out;
  std::string err;  // with stderr_on_terminal: everything written to the terminal
  double seconds = 0;
};

class SegverifyProcess {
 public:
  SegverifyProcess(const std::vector<std::string>& args, const TempDir& scratch, ProcessOptions options = {})
      : out_path_(options.stdout_path.empty() ? scratch.File(".process.out") : options.stdout_path),
        err_path_(scratch.File(".process.err")),
        start_(std::chrono::steady_clock::now()) {
    std::vector<std::string> argv_text = {SEGVERIFY_BINARY};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    int slave = -1;
    if (options.stderr_on_terminal && ::openpty(&terminal_, &slave, nullptr, nullptr, nullptr) != 0) {
      throw std::runtime_error("openpty failed");
    }
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      const int out = ::open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int err = slave >= 0 ? slave : ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int in = ::open("/dev/null", O_RDONLY);
      if (out < 0 || err < 0 || in < 0) ::_exit(126);
      ::dup2(in, 0);
      ::dup2(out, 1);
      ::dup2(err, 2);
      if (slave >= 0) ::setsid();
      for (const std::string& variable : options.env) ::putenv(const_cast<char*>(variable.c_str()));
      if (options.file_size_limit >= 0) {
        const rlimit limit{static_cast<rlim_t>(options.file_size_limit), static_cast<rlim_t>(options.file_size_limit)};
        ::setrlimit(RLIMIT_FSIZE, &limit);
      }
      std::vector<char*> argv;
      for (auto& a : argv_text) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    if (slave >= 0) ::close(slave);
  }

  ~SegverifyProcess() {
    if (pid_ > 0 && !waited_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    if (terminal_ >= 0) ::close(terminal_);
  }
  SegverifyProcess(const SegverifyProcess&) = delete;
  SegverifyProcess& operator=(const SegverifyProcess&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int signo) { ::kill(pid_, signo); }

  ProcessResult Wait(std::chrono::seconds limit = std::chrono::seconds(60)) {
    ProcessResult run;
    std::string terminal_text;
    int status = 0;
    while (true) {
      DrainTerminal(terminal_text);
      const pid_t done = ::waitpid(pid_, &status, WNOHANG);
      if (done == pid_) break;
      if (std::chrono::steady_clock::now() - start_ > limit) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        run.timed_out = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    waited_ = true;
    DrainTerminal(terminal_text);
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (!run.timed_out && WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
    if (!run.timed_out && WIFSIGNALED(status)) run.signal = WTERMSIG(status);
    if (FileExists(out_path_) && out_path_.rfind("/dev/", 0) != 0) run.out = ReadFile(out_path_);
    run.err = terminal_ >= 0 ? terminal_text : (FileExists(err_path_) ? ReadFile(err_path_) : "");
    return run;
  }

 private:
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
  std::chrono::steady_clock::time_point start_;
  pid_t pid_ = -1;
  int terminal_ = -1;
  bool waited_ = false;
};

inline ProcessResult RunSegverifyProcess(const std::vector<std::string>& args, const TempDir& scratch,
                                         ProcessOptions options = {},
                                         std::chrono::seconds limit = std::chrono::seconds(60)) {
  SegverifyProcess process(args, scratch, std::move(options));
  return process.Wait(limit);
}

}  // namespace segverify::testing
