#include "common/staging_dir.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "common/file_io.h"
#include "common/hex.h"

namespace segverify {
namespace {

namespace fs = std::filesystem;

// ---- Registry of this process's live staging directories ----
//
// The mutex also serialises publishing with the signal cleanup: the watcher takes it and never
// gives it back, so a swap in progress completes (old or new output in place) before the process
// removes its temporaries and ends.

std::mutex& RegistryMutex() {
  static std::mutex mutex;
  return mutex;
}
std::set<std::string>& Registry() {
  static std::set<std::string> paths;
  return paths;
}

// ---- Signal cleanup: the handler writes the signal number to a pipe; the watcher removes every
// registered directory, then ends the process by the same signal. ----

int g_signal_pipe[2] = {-1, -1};

extern "C" void OnStopSignal(int signo) {
  const int saved = errno;
  const unsigned char byte = static_cast<unsigned char>(signo);
  [[maybe_unused]] const ssize_t n = ::write(g_signal_pipe[1], &byte, 1);
  errno = saved;
}

[[noreturn]] void CleanUpAndDie(int signo) {
  RegistryMutex().lock();  // never unlocked: no publish may start after this
  for (const std::string& path : Registry()) {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
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

// ---- Names and markers ----

std::string RandomHex8Bytes() {
  std::array<std::uint8_t, 8> bytes{};
  if (::getrandom(bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size())) {
    // Uniqueness, not secrecy, is what matters here: fall back to the clock and an address.
    const auto now = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    const auto mix = now ^ reinterpret_cast<std::uintptr_t>(&bytes);
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(mix >> (8 * i));
  }
  return ToHex(bytes);
}

bool ProcessIsGone(long pid) {
  if (pid <= 0 || static_cast<pid_t>(pid) != pid) return false;
  return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

Status SyncParentOf(const std::string& target) {
  const fs::path parent = fs::path(target).parent_path();
  return SyncDirectory(parent.empty() ? "." : parent.string());
}

}  // namespace

bool IsStagingDirName(std::string_view name) {
  if (name.substr(0, kStagingPrefix.size()) != kStagingPrefix) return false;
  name.remove_prefix(kStagingPrefix.size());
  const std::size_t dash = name.find('-');
  if (dash == 0 || dash == std::string_view::npos || dash > 10) return false;
  for (char c : name.substr(0, dash)) {
    if (c < '0' || c > '9') return false;
  }
  const std::string_view random = name.substr(dash + 1);
  if (random.size() != 16) return false;
  for (char c : random) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

void RemoveStaleStagingDirs(const std::string& parent) {
  std::vector<fs::path> stale;
  {
    std::lock_guard lock(RegistryMutex());
    std::error_code ec;
    for (fs::directory_iterator it(parent.empty() ? "." : parent, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (!IsStagingDirName(name)) continue;
      std::error_code entry_ec;
      if (!fs::is_directory(it->symlink_status(entry_ec)) || entry_ec) continue;
      if (!fs::is_regular_file(fs::symlink_status(it->path() / kStagingMarker, entry_ec)) || entry_ec) continue;
      const long pid = std::strtol(name.c_str() + kStagingPrefix.size(), nullptr, 10);
      // Our own pid: stale unless it is one of ours (a container starts every run with the same
      // pids, so a killed run's directory can carry the pid of a later run).
      const bool ours = pid == static_cast<long>(::getpid());
      if (ours ? Registry().count(it->path().string()) != 0 : !ProcessIsGone(pid)) continue;
      stale.push_back(it->path());
    }
  }
  for (const fs::path& path : stale) {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
}

void InstallInterruptCleanup() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (::pipe2(g_signal_pipe, O_CLOEXEC) != 0) return;
    std::thread(WatchSignals).detach();
    struct sigaction action {};
    action.sa_handler = OnStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int signo : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction current {};
      if (::sigaction(signo, nullptr, &current) == 0 && current.sa_handler == SIG_IGN) continue;  // stays ignored
      ::sigaction(signo, &action, nullptr);
    }
  });
}

StagingDir::StagingDir(std::string path) : path_(std::move(path)) {}

StagingDir::~StagingDir() { Remove(); }

StagingDir::StagingDir(StagingDir&& other) noexcept : path_(std::exchange(other.path_, std::string())) {}

StagingDir& StagingDir::operator=(StagingDir&& other) noexcept {
  if (this != &other) {
    Remove();
    path_ = std::exchange(other.path_, std::string());
  }
  return *this;
}

Result<StagingDir> StagingDir::Create(const std::string& parent) {
  RemoveStaleStagingDirs(parent);
  const std::string base = parent.empty() ? "." : parent;
  std::string path;
  {
    std::lock_guard lock(RegistryMutex());
    for (int attempt = 0; attempt < 8 && path.empty(); ++attempt) {
      path = base + "/" + std::string(kStagingPrefix) + std::to_string(::getpid()) + "-" + RandomHex8Bytes();
      if (::mkdir(path.c_str(), 0700) == 0) break;
      if (errno != EEXIST) return Error{base + ": cannot create a temporary directory: " + std::strerror(errno)};
      path.clear();
    }
    if (path.empty()) return Error{base + ": cannot create a temporary directory"};
    Registry().insert(path);
  }
  StagingDir dir(path);
  // The marker is what makes the directory recognisable as ours to a later run's cleanup.
  std::ofstream marker(path + "/" + std::string(kStagingMarker));
  marker << "segverify temporary directory of process " << ::getpid()
         << "; the next segverify run in this directory removes it once that process has ended\n";
  marker.close();
  if (!marker) return Error{base + ": cannot write in a temporary directory"};
  return dir;
}

Status StagingDir::Publish(const std::string& target) {
  std::lock_guard lock(RegistryMutex());
  if (::rename(out().c_str(), target.c_str()) != 0) {
    return Error{target + ": cannot move into place: " + std::string(std::strerror(errno))};
  }
  return SyncParentOf(target);
}

Status StagingDir::PublishReplacing(const std::string& target) {
  std::lock_guard lock(RegistryMutex());
  if (::syscall(SYS_renameat2, AT_FDCWD, out().c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0) {
    if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) {
      return Error{target + ": cannot replace: " + std::string(std::strerror(errno))};
    }
    // A file system without atomic exchange: move the old output aside, then the new one in.
    const std::string old = path_ + "/old";
    if (::rename(target.c_str(), old.c_str()) != 0) {
      return Error{target + ": cannot replace: " + std::string(std::strerror(errno))};
    }
    if (::rename(out().c_str(), target.c_str()) != 0) {
      const std::string error = std::strerror(errno);
      ::rename(old.c_str(), target.c_str());  // put the old output back
      return Error{target + ": cannot move into place: " + error};
    }
  }
  return SyncParentOf(target);
}

void StagingDir::Remove() {
  if (path_.empty()) return;
  std::lock_guard lock(RegistryMutex());
  std::error_code ec;
  fs::remove_all(path_, ec);
  Registry().erase(path_);
  path_.clear();
}

}  // namespace segverify
