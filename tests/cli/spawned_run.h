// Runs segverify in the background with extra environment variables and resource limits, so a
// test can stop it at a named pause point (SEGVERIFY_TEST_PAUSE_AT, common/test_hook.h), kill it
// with a signal and look at what is left on disk; or run it under a pseudo-terminal.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_support.h"

namespace segverify::testing {

struct SpawnOptions {
  std::vector<std::pair<std::string, std::string>> env;  // set in the child
  long file_size_limit = -1;                             // RLIMIT_FSIZE in bytes (ulimit -f), -1: none
  std::string stdout_path;                               // default: a file in the scratch directory
};

class SpawnedSegverify {
 public:
  SpawnedSegverify(const std::vector<std::string>& args, const TempDir& scratch, const SpawnOptions& options = {})
      : out_path_(scratch.File(".spawned.out." + std::to_string(counter_))),
        err_path_(scratch.File(".spawned.err." + std::to_string(counter_++))) {
    std::vector<std::string> argv_text = {SEGVERIFY_BINARY};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    pid_ = fork();
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (auto& a : argv_text) argv.push_back(a.data());
      argv.push_back(nullptr);
      for (const auto& [name, value] : options.env) setenv(name.c_str(), value.c_str(), 1);
      if (options.file_size_limit >= 0) {
        // As `ulimit -f` in a shell: writes past the limit fail with EFBIG (SIGXFSZ ignored).
        signal(SIGXFSZ, SIG_IGN);
        rlimit limit{static_cast<rlim_t>(options.file_size_limit), static_cast<rlim_t>(options.file_size_limit)};
        setrlimit(RLIMIT_FSIZE, &limit);
      }
      const std::string stdout_path = options.stdout_path.empty() ? out_path_ : options.stdout_path;
      const int out = open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int in = open("/dev/null", O_RDONLY);
      if (out < 0 || err < 0 || in < 0) _exit(126);
      dup2(in, 0);
      dup2(out, 1);
      dup2(err, 2);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~SpawnedSegverify() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      Wait();
    }
  }

  // Waits until stderr says the run stopped at `point` (true), or it ended or 60 s passed (false).
  bool WaitForPause(const std::string& point) {
    const std::string marker = "segverify: test pause at " + point;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      if (FileExists(err_path_) && ReadFile(err_path_).find(marker) != std::string::npos) return true;
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        reaped_ = true;
        status_ = status;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  void Signal(int signal_number) { kill(pid_, signal_number); }

  // Waits for the end (at most 60 s, then SIGKILL); the raw wait status.
  int Wait() {
    if (reaped_) return status_;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (true) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        reaped_ = true;
        status_ = status;
        return status;
      }
      if (std::chrono::steady_clock::now() > deadline) kill(pid_, SIGKILL);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  int ExitCode() {
    const int status = Wait();
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  int TermSignal() {
    const int status = Wait();
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  }
  std::string out() const { return FileExists(out_path_) ? ReadFile(out_path_) : ""; }
  std::string err() const { return FileExists(err_path_) ? ReadFile(err_path_) : ""; }

 private:
  static inline int counter_ = 0;
  std::string out_path_, err_path_;
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
};

// Names in `dir` of the staging pattern (".segverify-tmp-…").
inline std::vector<std::string> StagingDirsIn(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(".segverify-tmp-", 0) == 0) names.push_back(name);
  }
  return names;
}

}  // namespace segverify::testing
