#include "tests/support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace segverify::testing {
namespace {

// Points `target` (0, 1 or 2) at /dev/null, a file, or the child's end of a pipe. Runs in the
// child between fork and exec: system calls only.
bool Connect(ChildStream how, int target, const char* path, int pipe_end, int fd) {
  int source = -1;
  switch (how) {
    case ChildStream::kInherit:
      return true;
    case ChildStream::kNull:
      source = ::open("/dev/null", target == 0 ? O_RDONLY : O_WRONLY);
      break;
    case ChildStream::kFile:
      source = ::open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
      break;
    case ChildStream::kPipe:
      source = pipe_end;
      break;
    case ChildStream::kFd:
      source = fd;
      break;
  }
  return source >= 0 && ::dup2(source, target) >= 0;
}

void MakePipe(int fds[2]) {
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
}

void CloseIfOpen(int fd) {
  if (fd >= 0) ::close(fd);
}

}  // namespace

SpawnedChild Spawn(const std::string& program, const std::vector<std::string>& args, const SpawnOptions& options) {
  // Everything the child needs is made before fork: after it, only system calls.
  std::vector<std::string> argv_text;
  argv_text.reserve(args.size() + 1);
  argv_text.push_back(program);
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env = options.env;

  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, exec_status[2] = {-1, -1};
  if (options.in == ChildStream::kPipe) MakePipe(in);
  if (options.out == ChildStream::kPipe) MakePipe(out);
  if (options.err == ChildStream::kPipe) MakePipe(err);
  MakePipe(exec_status);  // closed by a successful exec; carries errno when exec fails

  SpawnedChild child;
  const pid_t parent = ::getpid();
  child.pid = ::fork();
  if (child.pid < 0) {
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1], exec_status[0], exec_status[1]}) CloseIfOpen(fd);
    throw std::runtime_error("fork failed");
  }
  if (child.pid == 0) {
    if (!Connect(options.in, 0, nullptr, in[0], -1) ||
        !Connect(options.out, 1, options.out_path.c_str(), out[1], -1) ||
        !Connect(options.err, 2, options.err_path.c_str(), err[1], options.err_fd)) {
      ::_exit(126);
    }
    if (options.new_session) ::setsid();
    // A test that crashes (no destructor runs) must not leave its servers behind: the child is
    // sent SIGTERM when the test process dies (checked once more, in case it already has).
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(125);
    // The test process ignores SIGPIPE (RunProgram), and an ignored signal stays ignored across
    // exec: the child starts with the default, as under a shell, so a reader going away is seen
    // as it is in use.
    ::signal(SIGPIPE, SIG_DFL);
    for (std::string& variable : env) ::putenv(variable.data());
    if (options.file_size_limit >= 0) {
      // As segverify's main() does: writes past the limit fail with EFBIG instead of killing the
      // child before it can start (SIGXFSZ stays ignored across exec).
      ::signal(SIGXFSZ, SIG_IGN);
      const rlimit limit{static_cast<rlim_t>(options.file_size_limit), static_cast<rlim_t>(options.file_size_limit)};
      ::setrlimit(RLIMIT_FSIZE, &limit);
    }
    ::execvp(argv[0], argv.data());
    const int error = errno;
    [[maybe_unused]] const ssize_t ignored = ::write(exec_status[1], &error, sizeof error);
    ::_exit(127);
  }
  for (int fd : {in[0], out[1], err[1], exec_status[1]}) CloseIfOpen(fd);
  child.in = in[1];
  child.out = out[0];
  child.err = err[0];
  int error = 0;
  ssize_t n = 0;
  do {
    n = ::read(exec_status[0], &error, sizeof error);
  } while (n < 0 && errno == EINTR);
  child.exec_failed = n > 0;
  ::close(exec_status[0]);
  return child;
}

int ExitStatus(int wait_status) {
  return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
}

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args, bool capture_stdout,
                           bool keep_stderr) {
  SpawnOptions options;
  options.out = capture_stdout ? ChildStream::kPipe : ChildStream::kNull;
  options.err = keep_stderr ? ChildStream::kInherit : ChildStream::kNull;
  const SpawnedChild child = Spawn(program, args, options);
  pid_ = child.pid;
  stdout_fd_ = child.out;
  if (child.exec_failed) {
    Kill();
    throw std::runtime_error("cannot start " + program);
  }
}

ChildProcess::~ChildProcess() {
  Stop();
  CloseIfOpen(stdout_fd_);
}

std::string ChildProcess::FirstLine(int timeout_ms) {
  if (stdout_fd_ < 0) throw std::runtime_error("stdout not captured");
  std::string line;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw std::runtime_error("child process: no output line in time");
    pollfd fd{stdout_fd_, POLLIN, 0};
    if (::poll(&fd, 1, static_cast<int>(left.count())) <= 0) continue;
    char c;
    if (::read(stdout_fd_, &c, 1) != 1) throw std::runtime_error("child process exited before printing a line");
    if (c == '\n') return line;
    line.push_back(c);
  }
}

bool ChildProcess::Running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    exit_status_ = ExitStatus(status);
    pid_ = -1;
    return false;
  }
  return true;
}

int ChildProcess::Stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return exit_status_;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_status_ = ExitStatus(status);
      pid_ = -1;
      return exit_status_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Kill();
  return exit_status_;
}

void ChildProcess::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  exit_status_ = ExitStatus(status);
  pid_ = -1;
}

}  // namespace segverify::testing
