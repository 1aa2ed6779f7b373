#include "verifier/server/site_writer.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace segverify::server {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kTempInfix = ".publish-";

Error SystemError(const std::string& what, int error_number) {
  return Error{what + ": " + std::strerror(error_number)};
}

// Writes and fsyncs one file.
Status WriteDurably(const fs::path& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return SystemError(path.string() + ": cannot create", errno);
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int e = errno;
      ::close(fd);
      return SystemError(path.string() + ": cannot write", e);
    }
    done += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  const int e = errno;
  if (::close(fd) != 0 || !synced) return SystemError(path.string() + ": cannot write", e);
  return Status::Ok();
}

void SyncDirectory(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

// Temporaries of runs that were killed: ".<name>.publish-<pid>-<n>" whose process is gone.
void RemoveAbandonedTemporaries(const fs::path& parent, const std::string& name) {
  const std::string prefix = "." + name + std::string(kTempInfix);
  std::error_code ec;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string entry = it->path().filename().string();
    if (!entry.starts_with(prefix)) continue;
    const long pid = std::strtol(entry.c_str() + prefix.size(), nullptr, 10);
    if (pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM)) continue;  // still running
    std::error_code ignored;
    fs::remove_all(it->path(), ignored);
  }
}

// The target may be replaced: absent, an empty directory, or a site this code wrote.
Status CheckReplaceable(const fs::path& target, bool& exists) {
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(target, ec);
  exists = fs::exists(status);
  if (!exists) return Status::Ok();
  if (fs::is_symlink(status)) return Error{target.string() + ": is a symbolic link; give the directory itself"};
  if (!fs::is_directory(status)) return Error{target.string() + ": exists and is not a directory"};
  if (fs::exists(target / std::string(kSiteMarker), ec)) return Status::Ok();
  if (fs::is_empty(target, ec) && !ec) return Status::Ok();
  return Error{target.string() + ": exists and is not a published site (no " + std::string(kSiteMarker) +
               "); choose a new or empty directory"};
}

}  // namespace

Status WriteDirectoryAtomically(const std::string& target_text,
                                const std::vector<std::pair<std::string, std::string>>& files) {
  std::error_code ec;
  fs::path target = fs::absolute(target_text, ec).lexically_normal();
  if (ec) return Error{target_text + ": " + ec.message()};
  if (target.filename().empty()) target = target.parent_path();
  const fs::path parent = target.parent_path();
  const std::string name = target.filename().string();
  if (name.empty() || name == "." || name == "..") return Error{target_text + ": not a directory name"};
  fs::create_directories(parent, ec);
  if (ec) return Error{parent.string() + ": cannot create: " + ec.message()};
  bool exists = false;
  if (Status s = CheckReplaceable(target, exists); !s) return s;
  RemoveAbandonedTemporaries(parent, name);

  static std::atomic<unsigned> counter{0};
  const fs::path temp =
      parent / ("." + name + std::string(kTempInfix) + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  if (::mkdir(temp.c_str(), 0755) != 0) return SystemError(temp.string() + ": cannot create", errno);
  auto fail = [&temp](Error error) -> Status {
    std::error_code ignored;
    fs::remove_all(temp, ignored);
    return error;
  };
  for (const auto& [file, content] : files) {
    if (file.empty() || file.find('/') != std::string::npos || file.starts_with(".")) {
      return fail(Error{"internal error: bad site file name \"" + file + "\""});
    }
    if (Status s = WriteDurably(temp / file, content); !s) return fail(s.error());
  }
  if (Status s = WriteDurably(temp / std::string(kSiteMarker), "segverify status site\n"); !s) return fail(s.error());
  SyncDirectory(temp);
  if (exists) {
    // One atomic step: the new site takes the old one's place, the old one lands at `temp`.
    if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0) {
      return fail(SystemError(target.string() + ": cannot replace", errno));
    }
  } else if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) != 0) {
    return fail(SystemError(target.string() + ": cannot create", errno));
  }
  SyncDirectory(parent);
  fs::remove_all(temp, ec);  // the old site, if any
  return Status::Ok();
}

}  // namespace segverify::server
