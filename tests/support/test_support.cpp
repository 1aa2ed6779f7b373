#include "tests/support/test_support.h"

#include "tests/support/process.h"

#include <array>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace segverify::testing {
namespace {

// Reads both pipes until EOF while writing stdin, so large outputs cannot deadlock.
void Pump(int in_fd, const std::string& input, int out_fd, int err_fd, std::string& out, std::string& err) {
  std::size_t written = 0;
  if (input.empty()) {
    ::close(in_fd);
    in_fd = -1;
  }
  char buffer[65536];
  while (out_fd >= 0 || err_fd >= 0 || in_fd >= 0) {
    std::array<pollfd, 3> fds{};
    int n = 0;
    int out_i = -1, err_i = -1, in_i = -1;
    if (out_fd >= 0) { fds[static_cast<std::size_t>(n)] = {out_fd, POLLIN, 0}; out_i = n++; }
    if (err_fd >= 0) { fds[static_cast<std::size_t>(n)] = {err_fd, POLLIN, 0}; err_i = n++; }
    if (in_fd >= 0) { fds[static_cast<std::size_t>(n)] = {in_fd, POLLOUT, 0}; in_i = n++; }
    if (::poll(fds.data(), static_cast<nfds_t>(n), -1) < 0) break;
    auto drain = [&](int idx, int& fd, std::string& sink) {
      if (idx < 0 || fds[static_cast<std::size_t>(idx)].revents == 0) return;
      const ssize_t r = ::read(fd, buffer, sizeof buffer);
      if (r <= 0) { ::close(fd); fd = -1; return; }
      sink.append(buffer, static_cast<std::size_t>(r));
    };
    drain(out_i, out_fd, out);
    drain(err_i, err_fd, err);
    if (in_i >= 0 && fds[static_cast<std::size_t>(in_i)].revents != 0) {
      const ssize_t w = ::write(in_fd, input.data() + written, input.size() - written);
      if (w <= 0) { ::close(in_fd); in_fd = -1; }
      else {
        written += static_cast<std::size_t>(w);
        if (written == input.size()) { ::close(in_fd); in_fd = -1; }
      }
    }
  }
}

}  // namespace

CommandResult RunProgram(const std::string& program, const std::vector<std::string>& args,
                         const std::string& stdin_text) {
  SpawnOptions options;
  options.in = ChildStream::kPipe;
  options.out = ChildStream::kPipe;
  options.err = ChildStream::kPipe;
  const SpawnedChild child = Spawn(program, args, options);
  ::signal(SIGPIPE, SIG_IGN);
  CommandResult result;
  Pump(child.in, stdin_text, child.out, child.err, result.out, result.err);
  int status = 0;
  ::waitpid(child.pid, &status, 0);
  result.exit_code = ExitStatus(status);
  return result;
}

CommandResult RunSegverify(const std::vector<std::string>& args, const std::string& stdin_text) {
  return RunProgram(SEGVERIFY_BINARY, args, stdin_text);
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "segverify-test-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string SourcePath(const std::string& relative) { return std::string(SEGVERIFY_SOURCE_DIR) + "/" + relative; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error("cannot write " + path);
  out << content;
}

bool FileExists(const std::string& path) { return std::filesystem::exists(path); }

std::vector<std::string> StagingDirsIn(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(".segverify-tmp-", 0) == 0) names.push_back(name);
  }
  return names;
}

}  // namespace segverify::testing
