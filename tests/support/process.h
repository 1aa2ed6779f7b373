// The one way tests start a process: Spawn (fork and exec, no shell) with each standard stream
// connected as asked, and ChildProcess, a background child owned by a test. Everything else that
// runs a program builds on these: RunProgram / RunSegverify (test_support.h, run to the end with
// the output captured), SegverifyProcess (segverify_process.h, a segverify run with a file-size
// limit, a terminal or a crash point), AnvilNode and the loopback test servers (a ChildProcess
// each) and the status server under load (tests/server/serve_process.h).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace segverify::testing {

// How one of the child's standard streams is connected.
enum class ChildStream {
  kNull,     // /dev/null
  kInherit,  // the test's own
  kPipe,     // a pipe whose other end is returned in SpawnedChild
  kFile,     // a file, created or truncated (mode 0600)
  kFd,       // a descriptor the caller holds (e.g. a pseudo-terminal's slave side); stderr only
};

struct SpawnOptions {
  ChildStream in = ChildStream::kNull;  // kNull or kPipe
  ChildStream out = ChildStream::kInherit;
  std::string out_path;  // with kFile
  ChildStream err = ChildStream::kInherit;
  std::string err_path;  // with kFile
  int err_fd = -1;       // with kFd
  bool new_session = false;      // setsid(): the child leaves the test's terminal and process group
  std::vector<std::string> env;  // "NAME=value", added to the inherited environment
  long file_size_limit = -1;     // bytes (RLIMIT_FSIZE, what `ulimit -f` sets; SIGXFSZ ignored); -1: none
};

struct SpawnedChild {
  pid_t pid = -1;
  int in = -1, out = -1, err = -1;  // the test's ends of the pipes asked for, else -1
  bool exec_failed = false;         // the program could not be run (the child exited 127)
};

// Starts `program` (a path, or a name looked up in PATH) with `args`. Throws std::runtime_error
// when no process can be made; an exec failure is reported in the result, the child reaped by
// the caller like any other.
SpawnedChild Spawn(const std::string& program, const std::vector<std::string>& args, const SpawnOptions& options);

// The exit status as tests compare it: the exit code, or 128 + the signal that ended it.
int ExitStatus(int wait_status);

// A child process owned by a test: stdin from /dev/null, stderr discarded (or the test's own with
// keep_stderr), stdout discarded or kept readable for FirstLine(). Throws when the program cannot
// be run. The destructor (or Stop()) sends SIGTERM, then SIGKILL after the grace period, and
// always waits for it.
class ChildProcess {
 public:
  ChildProcess(const std::string& program, const std::vector<std::string>& args, bool capture_stdout,
               bool keep_stderr = false);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The first stdout line (without newline), waiting at most `timeout_ms`; throws on timeout/EOF.
  std::string FirstLine(int timeout_ms);
  bool Running();
  // Stops the child; returns its exit status (ExitStatus), or -1 when it was reaped before.
  int Stop(std::chrono::milliseconds grace = std::chrono::seconds(3));
  void Kill();  // SIGKILL at once, then wait
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int exit_status_ = -1;
};

}  // namespace segverify::testing
