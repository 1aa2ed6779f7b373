#include "common/output_dir.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <set>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "common/hex.h"

namespace segverify {
namespace {

namespace fs = std::filesystem;

std::string Errno() { return std::strerror(errno); }

// Staging directories of this process not yet committed or abandoned. The mutex also serialises
// Commit() with the signal cleanup.
std::mutex& RegistryMutex() {
  static std::mutex mutex;
  return mutex;
}
std::set<std::string>& Registry() {
  static std::set<std::string> paths;
  return paths;
}

std::string RandomSuffix() {
  std::uint8_t bytes[8];
  std::size_t got = 0;
  while (got < sizeof bytes) {
    const ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got < sizeof bytes) {
    // The name needs to be unique, not secret: fall back on the clock.
    const auto now = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    for (std::size_t i = 0; i < sizeof bytes; ++i) bytes[i] = static_cast<std::uint8_t>(now >> (8 * i));
  }
  return ToHex(std::span<const std::uint8_t>(bytes, sizeof bytes));
}

// Removes `path` and everything below it. It is renamed first (to a name that still matches the
// stale pattern), so threads of the run that still write by path fail instead of recreating
// files inside it while it is being removed.
void RemoveTree(const std::string& path) {
  std::error_code ec;
  const std::string dying = path + "-rm";
  fs::rename(path, dying, ec);
  const std::string& target = ec ? path : dying;
  for (int attempt = 0; attempt < 3; ++attempt) {
    ec.clear();
    fs::remove_all(target, ec);
    if (!ec) return;
  }
}

// The pid in a temporary's name ".segverify-tmp-<pid>-...", or 0 when the name does not match.
pid_t PidInName(std::string_view name) {
  if (name.substr(0, kStagingPrefix.size()) != kStagingPrefix) return 0;
  name.remove_prefix(kStagingPrefix.size());
  long long pid = 0;
  std::size_t i = 0;
  for (; i < name.size() && name[i] >= '0' && name[i] <= '9' && i < 10; ++i) pid = pid * 10 + (name[i] - '0');
  if (i == 0 || i >= name.size() || name[i] != '-' || pid <= 0 || pid > INT32_MAX) return 0;
  return static_cast<pid_t>(pid);
}

bool ProcessRuns(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

Status SyncPath(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0));
  if (fd < 0) return Error{path.string() + ": cannot open to flush: " + Errno()};
  const bool synced = ::fsync(fd) == 0;
  const std::string error = synced ? "" : Errno();
  ::close(fd);
  if (!synced) return Error{path.string() + ": cannot flush to disk: " + error};
  return Status::Ok();
}

// Flushes every file and directory under `root` (and root itself): the swap must never make
// visible a directory whose files are not on disk yet.
Status SyncTree(const std::string& root) {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    const auto type = it->symlink_status(ec).type();
    if (ec) break;
    if (type == fs::file_type::regular || type == fs::file_type::directory) {
      if (Status s = SyncPath(it->path(), type == fs::file_type::directory); !s) return s;
    }
  }
  if (ec) return Error{root + ": cannot list: " + ec.message()};
  return SyncPath(root, true);
}

// Signal cleanup: the handler writes the signal number to a pipe; the watcher removes every
// registered directory, then ends the process by the same signal.
int g_signal_pipe[2] = {-1, -1};

extern "C" void OnStopSignal(int signo) {
  const int saved = errno;
  const unsigned char byte = static_cast<unsigned char>(signo);
  [[maybe_unused]] const ssize_t n = ::write(g_signal_pipe[1], &byte, 1);
  errno = saved;
}

[[noreturn]] void CleanUpAndDie(int signo) {
  RegistryMutex().lock();  // never unlocked: no Commit() may start after this
  for (const std::string& path : Registry()) RemoveTree(path);
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  ::sigaction(signo, &default_action, nullptr);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, signo);
  ::pthread_sigmask(SIG_UNBLOCK, &only, nullptr);
  ::raise(signo);
  ::_exit(128 + signo);  // not reached unless the signal is ignored
}

void WatchSignals() {
  while (true) {
    unsigned char byte = 0;
    const ssize_t n = ::read(g_signal_pipe[0], &byte, 1);
    if (n == 1) CleanUpAndDie(byte);
    if (n < 0 && errno == EINTR) continue;
    return;  // pipe closed: nothing left to watch
  }
}

// Puts the staged content at `final_path` while the old directory is still there.
Status SwapIntoPlace(const std::string& staged, const std::string& final_path, std::string& old_content) {
  struct stat final_stat {};
  if (::stat(final_path.c_str(), &final_stat) != 0) {
    if (errno != ENOENT) return Error{final_path + ": " + Errno()};
    if (std::rename(staged.c_str(), final_path.c_str()) != 0) {
      return Error{final_path + ": cannot move the new output into place: " + Errno()};
    }
    return Status::Ok();
  }
  if (!S_ISDIR(final_stat.st_mode)) return Error{final_path + ": exists and is not a directory"};
  // The new directory keeps the operator's permissions (e.g. 0700 on a directory of balances).
  ::chmod(staged.c_str(), final_stat.st_mode & 07777);
  if (::renameat2(AT_FDCWD, staged.c_str(), AT_FDCWD, final_path.c_str(), RENAME_EXCHANGE) == 0) {
    old_content = staged;  // the exchange left the old directory under the staging name
    return Status::Ok();
  }
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
    return Error{final_path + ": cannot swap in the new output: " + Errno()};
  }
  // No atomic exchange on this filesystem: old aside, new in, old back if that fails.
  const std::string aside = staged + "-old";
  if (std::rename(final_path.c_str(), aside.c_str()) != 0) {
    return Error{final_path + ": cannot move the old output aside: " + Errno()};
  }
  if (std::rename(staged.c_str(), final_path.c_str()) != 0) {
    const std::string error = Errno();
    std::rename(aside.c_str(), final_path.c_str());
    return Error{final_path + ": cannot move the new output into place: " + error};
  }
  old_content = aside;
  return Status::Ok();
}

}  // namespace

StagedDirectory::~StagedDirectory() { Abandon(); }

StagedDirectory::StagedDirectory(StagedDirectory&& other) noexcept
    : path_(std::exchange(other.path_, {})), final_path_(std::move(other.final_path_)) {}

StagedDirectory& StagedDirectory::operator=(StagedDirectory&& other) noexcept {
  if (this != &other) {
    Abandon();
    path_ = std::exchange(other.path_, {});
    final_path_ = std::move(other.final_path_);
  }
  return *this;
}

Result<StagedDirectory> StagedDirectory::Create(const std::string& final_path) {
  if (final_path.empty()) return Error{"output directory: empty path"};
  std::error_code ec;
  // "out/", "." or "a/.." would make the parent the directory itself: name it plainly.
  fs::path target = fs::absolute(final_path, ec).lexically_normal();
  if (ec) return Error{final_path + ": " + ec.message()};
  while (target.has_relative_path() && !target.has_filename()) target = target.parent_path();
  if (fs::is_symlink(target, ec)) {
    target = fs::canonical(target, ec);
    if (ec) return Error{final_path + ": cannot follow the link: " + ec.message()};
  }
  if (!target.has_relative_path()) return Error{final_path + ": the root directory cannot be an output directory"};
  const auto status = fs::status(target, ec);
  if (fs::exists(status) && !fs::is_directory(status)) return Error{final_path + ": exists and is not a directory"};
  fs::path parent = target.parent_path();
  if (parent.empty()) parent = ".";
  fs::create_directories(parent, ec);
  if (ec) return Error{parent.string() + ": cannot create: " + ec.message()};
  RemoveStaleTemporaries(parent.string());

  StagedDirectory out;
  out.final_path_ = target.string();
  const std::string path =
      (parent / (std::string(kStagingPrefix) + std::to_string(::getpid()) + "-" + RandomSuffix())).string();
  std::lock_guard lock(RegistryMutex());
  if (::mkdir(path.c_str(), 0777) != 0) return Error{final_path + ": cannot create a directory beside it: " + Errno()};
  Registry().insert(path);
  out.path_ = path;
  return out;
}

Status StagedDirectory::Commit() {
  std::lock_guard lock(RegistryMutex());
  if (path_.empty()) return Error{final_path_ + ": internal error: commit of a directory already committed or removed"};
  const std::string staged = std::exchange(path_, {});
  Status done = SyncTree(staged);
  std::string old_content;
  if (done) done = SwapIntoPlace(staged, final_path_, old_content);
  if (!done) {
    RemoveTree(staged);
    Registry().erase(staged);
    return done;
  }
  // The new directory is in place; what remains under a staging name is the old run (or
  // nothing). If removing it fails or is interrupted, the next run removes it as stale.
  fs::path parent = fs::path(final_path_).parent_path();
  if (parent.empty()) parent = ".";
  [[maybe_unused]] Status synced = SyncPath(parent, true);
  if (!old_content.empty()) RemoveTree(old_content);
  Registry().erase(staged);
  return Status::Ok();
}

void StagedDirectory::Abandon() {
  if (path_.empty()) return;
  std::lock_guard lock(RegistryMutex());
  RemoveTree(path_);
  Registry().erase(path_);
  path_.clear();
}

void RemoveStaleTemporaries(const std::string& parent) {
  std::error_code ec;
  std::vector<std::string> stale;
  {
    std::lock_guard lock(RegistryMutex());
    for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      const pid_t pid = PidInName(name);
      if (pid == 0) continue;
      // Our own pid: stale unless registered (containers start every run with the same pids).
      const bool ours = pid == ::getpid();
      if (ours ? Registry().count(it->path().string()) != 0 : ProcessRuns(pid)) continue;
      stale.push_back(it->path().string());
    }
  }
  for (const std::string& path : stale) {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
}

Status CheckReplaceable(const std::string& dir, std::initializer_list<std::string_view> markers,
                        std::string_view option) {
  std::error_code ec;
  const auto status = fs::status(dir, ec);
  if (!fs::exists(status)) return Status::Ok();
  const std::string where = std::string(option) + ": " + dir;
  if (!fs::is_directory(status)) return Error{where + " exists and is not a directory"};
  if (fs::is_empty(dir, ec) && !ec) return Status::Ok();
  std::string names;
  for (std::string_view marker : markers) {
    if (fs::exists(fs::path(dir) / marker, ec)) return Status::Ok();
    names += names.empty() ? "" : " or ";
    names += marker;
  }
  return Error{where + " is not empty and holds no " + names +
               " of an earlier run; it would be replaced whole, so give a new or empty directory"};
}

void InstallStagingSignalCleanup() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (::pipe2(g_signal_pipe, O_CLOEXEC) != 0) return;
    std::thread(WatchSignals).detach();
    struct sigaction action {};
    action.sa_handler = OnStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int signo : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(signo, &action, nullptr);
  });
}

}  // namespace segverify
