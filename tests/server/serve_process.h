// Runs the real `segverify serve` as a child process for the hostile-load tests (a ChildProcess,
// tests/support/process.h): its memory and open files are read from /proc, and it is stopped with
// SIGTERM, then SIGKILL, by the destructor, also when a test fails. Header-only: tests/<area>/
// builds only *_test.cpp files.
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/process.h"

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
  ServeProcess(const std::string& report_dir, const std::vector<std::string>& extra)
      : process_(SEGVERIFY_BINARY, Args(report_dir, extra), /*capture_stdout=*/true, /*keep_stderr=*/true) {
    // "segverify: serving DIR at http://127.0.0.1:PORT/ ..."
    std::string line;
    try {
      line = process_.FirstLine(15000);
    } catch (const std::exception& e) {
      process_.Stop();
      throw std::runtime_error(std::string("serve did not start: ") + e.what());
    }
    const std::size_t at = line.find("127.0.0.1:");
    if (at == std::string::npos) {
      process_.Stop();
      throw std::runtime_error("serve did not start: " + line);
    }
    port_ = std::stoi(line.substr(at + 10));
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return process_.pid(); }

  // VmRSS / VmHWM (peak) of the server, in KiB.
  long MemoryKb(const std::string& field = "VmRSS") const {
    std::ifstream status("/proc/" + std::to_string(pid()) + "/status");
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
    for (std::filesystem::directory_iterator it("/proc/" + std::to_string(pid()) + "/fd", ec), end; !ec && it != end;
         it.increment(ec)) {
      ++count;
    }
    return count;
  }

  // Stops the server; returns its exit status (128 + signal when killed).
  int Stop() { return process_.Stop(std::chrono::seconds(5)); }

 private:
  static std::vector<std::string> Args(const std::string& report_dir, const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"serve", "--report", report_dir, "--port", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  ChildProcess process_;
  int port_ = 0;
};

}  // namespace segverify::testing
