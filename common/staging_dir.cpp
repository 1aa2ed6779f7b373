#include "common/staging_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <utility>

#include "common/file_io.h"
#include "common/hex.h"

namespace segverify {
namespace {

namespace fs = std::filesystem;

// ---- Registry of live staging directories, readable from a signal handler ----
//
// Fixed slots (no allocation, no locks): a slot is claimed with a compare-and-swap, its path
// written, then published with a release store; the handler reads only published slots.

constexpr std::size_t kSlots = 64;
constexpr std::size_t kMaxPath = 4096;
enum SlotState : int { kFree = 0, kClaimed = 1, kReady = 2 };

struct Slot {
  std::atomic<int> state{kFree};
  char path[kMaxPath];
};
std::array<Slot, kSlots> g_slots;

int Register(const std::string& path) {
  if (path.size() >= kMaxPath) return -1;
  for (std::size_t i = 0; i < kSlots; ++i) {
    int expected = kFree;
    if (g_slots[i].state.compare_exchange_strong(expected, kClaimed)) {
      std::memcpy(g_slots[i].path, path.c_str(), path.size() + 1);
      g_slots[i].state.store(kReady, std::memory_order_release);
      return static_cast<int>(i);
    }
  }
  return -1;  // more live staging directories than slots: those are left to the stale cleanup
}

void Unregister(int slot) {
  if (slot >= 0) g_slots[static_cast<std::size_t>(slot)].state.store(kFree, std::memory_order_release);
}

// ---- Removal with async-signal-safe calls only (openat, getdents64, unlinkat, close) ----

struct LinuxDirent64 {
  ino64_t d_ino;
  off64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[1];
};

constexpr int kMaxDepth = 8;  // staging directories are at most a few levels deep

bool IsDotOrDotDot(const char* name) {
  return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

void RemoveContentsAt(int dir_fd, int depth) {
  alignas(8) char buffer[4096];
  // Removing entries while listing may skip some: list again until nothing is left or nothing
  // more can be removed.
  for (int pass = 0; pass < 1000; ++pass) {
    if (::lseek(dir_fd, 0, SEEK_SET) != 0) return;
    bool seen = false, removed = false;
    long n;
    while ((n = ::syscall(SYS_getdents64, dir_fd, buffer, sizeof buffer)) > 0) {
      for (long offset = 0; offset < n;) {
        const auto* entry = reinterpret_cast<const LinuxDirent64*>(buffer + offset);
        offset += entry->d_reclen;
        if (IsDotOrDotDot(entry->d_name)) continue;
        seen = true;
        if (::unlinkat(dir_fd, entry->d_name, 0) == 0) {
          removed = true;
          continue;
        }
        if ((errno != EISDIR && errno != EPERM) || depth >= kMaxDepth) continue;
        const int sub = ::openat(dir_fd, entry->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub >= 0) {
          RemoveContentsAt(sub, depth + 1);
          ::close(sub);
        }
        if (::unlinkat(dir_fd, entry->d_name, AT_REMOVEDIR) == 0) removed = true;
      }
    }
    if (!seen || !removed) return;
  }
}

void RemoveTreeSignalSafe(const char* path) {
  const int fd = ::open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return;
  RemoveContentsAt(fd, 0);
  ::close(fd);
  ::rmdir(path);
}

// ---- Signal handling ----

struct sigaction g_previous_int {
}, g_previous_term{};

void CleanupHandler(int signal_number, siginfo_t* info, void* context) {
  const int saved_errno = errno;
  for (Slot& slot : g_slots) {
    if (slot.state.load(std::memory_order_acquire) == kReady) RemoveTreeSignalSafe(slot.path);
  }
  const struct sigaction& previous = signal_number == SIGINT ? g_previous_int : g_previous_term;
  errno = saved_errno;
  if ((previous.sa_flags & SA_SIGINFO) != 0 && previous.sa_sigaction != nullptr) {
    previous.sa_sigaction(signal_number, info, context);
    return;
  }
  if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN && previous.sa_handler != nullptr) {
    previous.sa_handler(signal_number);
    return;
  }
  // Default action: end the process with this signal, as if no handler had been installed. The
  // signal is blocked while its handler runs, so it is delivered when the handler returns.
  struct sigaction fallback {};
  fallback.sa_handler = SIG_DFL;
  sigemptyset(&fallback.sa_mask);
  ::sigaction(signal_number, &fallback, nullptr);
  ::raise(signal_number);
}

void InstallFor(int signal_number, struct sigaction* previous) {
  struct sigaction current {};
  if (::sigaction(signal_number, nullptr, &current) != 0) return;
  if ((current.sa_flags & SA_SIGINFO) == 0 && current.sa_handler == SIG_IGN) return;  // stays ignored
  *previous = current;
  struct sigaction action {};
  action.sa_sigaction = CleanupHandler;
  action.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&action.sa_mask);
  sigaddset(&action.sa_mask, SIGINT);
  sigaddset(&action.sa_mask, SIGTERM);
  ::sigaction(signal_number, &action, nullptr);
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
  std::error_code ec;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!IsStagingDirName(name)) continue;
    std::error_code entry_ec;
    if (!fs::is_directory(it->symlink_status(entry_ec)) || entry_ec) continue;
    if (!fs::is_regular_file(fs::symlink_status(it->path() / kStagingMarker, entry_ec)) || entry_ec) continue;
    const long pid = std::strtol(name.c_str() + kStagingPrefix.size(), nullptr, 10);
    if (!ProcessIsGone(pid)) continue;
    fs::remove_all(it->path(), entry_ec);
  }
}

void InstallInterruptCleanup() {
  static std::atomic<bool> installed{false};
  if (installed.exchange(true)) return;
  InstallFor(SIGINT, &g_previous_int);
  InstallFor(SIGTERM, &g_previous_term);
}

StagingDir::StagingDir(std::string path) : path_(std::move(path)) {}

StagingDir::~StagingDir() { Remove(); }

StagingDir::StagingDir(StagingDir&& other) noexcept
    : path_(std::exchange(other.path_, std::string())), slot_(std::exchange(other.slot_, -1)) {}

StagingDir& StagingDir::operator=(StagingDir&& other) noexcept {
  if (this != &other) {
    Remove();
    path_ = std::exchange(other.path_, std::string());
    slot_ = std::exchange(other.slot_, -1);
  }
  return *this;
}

Result<StagingDir> StagingDir::Create(const std::string& parent) {
  RemoveStaleStagingDirs(parent);
  const std::string base = parent.empty() ? "." : parent;
  std::string path;
  for (int attempt = 0; attempt < 8; ++attempt) {
    path = base + "/" + std::string(kStagingPrefix) + std::to_string(::getpid()) + "-" + RandomHex8Bytes();
    if (::mkdir(path.c_str(), 0700) == 0) break;
    if (errno != EEXIST) return Error{base + ": cannot create a temporary directory: " + std::strerror(errno)};
    path.clear();
  }
  if (path.empty()) return Error{base + ": cannot create a temporary directory"};
  StagingDir dir(path);
  dir.slot_ = Register(path);
  // The marker is what makes the directory recognisable as ours to a later run's cleanup.
  std::ofstream marker(path + "/" + std::string(kStagingMarker));
  marker << "segverify temporary directory of process " << ::getpid()
         << "; the next segverify run in this directory removes it once that process has ended\n";
  marker.close();
  if (!marker) return Error{base + ": cannot write in a temporary directory"};
  return dir;
}

Status StagingDir::Publish(const std::string& target) {
  if (::rename(out().c_str(), target.c_str()) != 0) {
    return Error{target + ": cannot move into place: " + std::string(std::strerror(errno))};
  }
  const fs::path parent = fs::path(target).parent_path();
  return SyncDirectory(parent.empty() ? "." : parent.string());
}

Status StagingDir::PublishReplacing(const std::string& target) {
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
  const fs::path parent = fs::path(target).parent_path();
  return SyncDirectory(parent.empty() ? "." : parent.string());
}

void StagingDir::Remove() {
  if (path_.empty()) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
  Unregister(slot_);
  slot_ = -1;
  path_.clear();
}

}  // namespace segverify
