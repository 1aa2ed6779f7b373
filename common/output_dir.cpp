#include "common/output_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace segverify {
namespace {

namespace fs = std::filesystem;

Status SyncPath(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0));
  if (fd < 0) return Error{path.string() + ": cannot open to flush: " + std::strerror(errno)};
  const bool synced = ::fsync(fd) == 0;
  const std::string error = synced ? "" : std::strerror(errno);
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

}  // namespace

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
  auto staging = StagingDir::Create(parent.string());
  if (!staging) return staging.error();
  if (::mkdir(staging->out().c_str(), 0777) != 0) {
    return Error{final_path + ": cannot create a directory beside it: " + std::strerror(errno)};
  }
  return StagedDirectory(target.string(), std::move(*staging));
}

Status StagedDirectory::Commit() {
  if (!staging_) return Error{final_path_ + ": internal error: commit of a directory already committed or removed"};
  Status done = SyncTree(staging_->out());
  if (done) {
    struct stat final_stat {};
    if (::stat(final_path_.c_str(), &final_stat) == 0) {
      // The new directory keeps the operator's permissions (e.g. 0700 on a directory of balances).
      ::chmod(staging_->out().c_str(), final_stat.st_mode & 07777);
      done = staging_->PublishReplacing(final_path_);
    } else if (errno == ENOENT) {
      done = staging_->Publish(final_path_);
    } else {
      done = Error{final_path_ + ": " + std::strerror(errno)};
    }
  }
  // Committed or not, the staging directory goes: it holds the old run (or nothing) after a swap,
  // the unpublished new one after a failure. If removing it is interrupted, the next run removes
  // it as stale.
  staging_.reset();
  return done;
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

}  // namespace segverify
