// Runs the real `segverify serve` as a child process for the hostile-load tests (its memory and
// open files are read from /proc, and it is stopped with SIGTERM, then SIGKILL, by the destructor,
// also when a test fails). Header-only: tests/<area>/ builds only *_test.cpp files.
#pragma once

#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace segverify::testing {

// Raises this process's soft open-file limit to the hard one; returns the limit in force.
inline std::size_t RaiseTestFileLimit() {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
  ::getrlimit(RLIMIT_NOFILE, &limit);
  return static_cast<std::size_t>(limit.rlim_cur);
}

class ServeProcess {
 public:
  ServeProcess(const std::string& report_dir, const std::vector<std::string>& extra) {
    std::vector<std::string> args = {SEGVERIFY_BINARY, "serve", "--report", report_dir, "--port", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork");
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::close(out[1]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      std::_Exit(127);
    }
    ::close(out[1]);
    out_fd_ = out[0];
    // "segverify: serving DIR at http://127.0.0.1:PORT/ ..."
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (line.find("/ (") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{out_fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buffer[512];
      const ssize_t n = ::read(out_fd_, buffer, sizeof buffer);
      if (n <= 0) break;
      line.append(buffer, static_cast<std::size_t>(n));
    }
    const std::size_t at = line.find("127.0.0.1:");
    if (at == std::string::npos) {
      Stop();
      throw std::runtime_error("serve did not start: " + line);
    }
    port_ = std::stoi(line.substr(at + 10));
  }
  ~ServeProcess() { Stop(); }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }

  // VmRSS / VmHWM (peak) of the server, in KiB.
  long MemoryKb(const std::string& field = "VmRSS") const {
    std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
    std::string key;
    while (status >> key) {
      if (key == field + ":") {
        long kb = 0;
        status >> kb;
        return kb;
      }
      std::string rest;
      std::getline(status, rest);
    }
    return -1;
  }

  std::size_t OpenFiles() const {
    std::size_t count = 0;
    std::error_code ec;
    for (std::filesystem::directory_iterator it("/proc/" + std::to_string(pid_) + "/fd", ec), end; !ec && it != end;
         it.increment(ec)) {
      ++count;
    }
    return count;
  }

  // Stops the server; returns its exit status (128 + signal when killed).
  int Stop() {
    if (pid_ <= 0) return exit_code_;
    ::kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100; ++i) {
      if (::waitpid(pid_, &status, WNOHANG) == pid_) break;
      if (i == 99) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    pid_ = -1;
    if (out_fd_ >= 0) ::close(out_fd_);
    out_fd_ = -1;
    return exit_code_;
  }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int port_ = 0;
  int exit_code_ = -1;
};

}  // namespace segverify::testing
