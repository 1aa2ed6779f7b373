#include "common/file_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "common/regular_file.h"
#include "common/staging_dir.h"

namespace segverify {
namespace {

constexpr std::size_t kBufferBytes = std::size_t{1} << 20;

std::string Errno() { return std::strerror(errno); }

// Writes all of `data` at `offset` (or at the file position when offset is -1), retrying on
// short writes and EINTR; false with errno set on failure.
bool WriteFully(int fd, const char* data, std::size_t size, off_t offset) {
  while (size > 0) {
    const ssize_t n = offset < 0 ? ::write(fd, data, size) : ::pwrite(fd, data, size, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) {
      errno = ENOSPC;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
    if (offset >= 0) offset += n;
  }
  return true;
}

}  // namespace

Result<std::string> ReadFileLimited(const std::string& path, std::size_t max_bytes) {
  auto fd = OpenRegularFile(path);
  if (!fd) return fd.error();
  std::string out;
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = ::read(*fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string why = Errno();
      ::close(*fd);
      return Error{path + ": read error: " + why};
    }
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > max_bytes) {
      ::close(*fd);
      return Error{path + ": file larger than " + std::to_string(max_bytes) + " bytes"};
    }
    out.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(*fd);
  return out;
}

// ---- OutputFile ----

OutputFile::~OutputFile() {
  if (fd_ >= 0) ::close(fd_);  // failure path: the caller discards the file
}

OutputFile::OutputFile(OutputFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      path_(std::move(other.path_)),
      label_(std::move(other.label_)),
      buffer_(std::move(other.buffer_)),
      buffered_(std::exchange(other.buffered_, 0)),
      appended_(std::exchange(other.appended_, 0)) {}

OutputFile& OutputFile::operator=(OutputFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
    label_ = std::move(other.label_);
    buffer_ = std::move(other.buffer_);
    buffered_ = std::exchange(other.buffered_, 0);
    appended_ = std::exchange(other.appended_, 0);
  }
  return *this;
}

Result<OutputFile> OutputFile::Create(const std::string& path, std::string label) {
  OutputFile out;
  out.path_ = path;
  out.label_ = label.empty() ? path : std::move(label);
  out.fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);  // read too: for Map()
  if (out.fd_ < 0) return out.Failure("cannot create");
  return out;
}

Error OutputFile::Failure(std::string_view what) const {
  return Error{label_ + ": " + std::string(what) + ": " + Errno()};
}

Status OutputFile::Write(const void* data, std::size_t size) {
  if (fd_ < 0) return Error{label_ + ": write after close"};
  const char* bytes = static_cast<const char*>(data);
  appended_ += size;
  if (buffered_ + size <= kBufferBytes) {
    if (!buffer_) buffer_ = std::make_unique<char[]>(kBufferBytes);
    std::memcpy(buffer_.get() + buffered_, bytes, size);
    buffered_ += size;
    return Status::Ok();
  }
  if (Status s = Flush(); !s) return s;
  if (size >= kBufferBytes) {
    if (!WriteFully(fd_, bytes, size, -1)) return Failure("write failed");
    return Status::Ok();
  }
  if (!buffer_) buffer_ = std::make_unique<char[]>(kBufferBytes);
  std::memcpy(buffer_.get(), bytes, size);
  buffered_ = size;
  return Status::Ok();
}

Status OutputFile::WriteAt(std::uint64_t offset, const void* data, std::size_t size) const {
  if (fd_ < 0) return Error{label_ + ": write after close"};
  if (!WriteFully(fd_, static_cast<const char*>(data), size, static_cast<off_t>(offset)))
    return Failure("write failed");
  return Status::Ok();
}

Status OutputFile::Flush() {
  if (fd_ < 0) return Error{label_ + ": write after close"};
  if (buffered_ == 0) return Status::Ok();
  const std::size_t size = std::exchange(buffered_, 0);
  if (!WriteFully(fd_, buffer_.get(), size, -1)) return Failure("write failed");
  return Status::Ok();
}

void OutputFile::StartWriteback() const { StartWriteback(0, 0); }

void OutputFile::StartWriteback(std::uint64_t offset, std::uint64_t length) const {
  if (fd_ >= 0) {
    ::sync_file_range(fd_, static_cast<off_t>(offset), static_cast<off_t>(length), SYNC_FILE_RANGE_WRITE);
  }
}

Status OutputFile::Reserve(std::uint64_t size) {
  if (fd_ < 0) return Error{label_ + ": write after close"};
  if (size == 0) return Status::Ok();
  const int error = ::posix_fallocate(fd_, 0, static_cast<off_t>(size));
  if (error != 0) return Error{label_ + ": write failed: " + std::strerror(error)};
  return Status::Ok();
}

Result<MappedRange> OutputFile::Map(std::uint64_t offset, std::uint64_t length) const {
  if (fd_ < 0) return Error{label_ + ": write after close"};
  return MappedRange::MapFd(fd_, label_, offset, length, /*writable=*/true);
}

Status OutputFile::Close(Durability durability) {
  if (fd_ < 0) return Status::Ok();
  Status flushed = Flush();
  if (flushed.ok() && durability == Durability::kDurable && ::fsync(fd_) != 0) flushed = Failure("write failed");
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0 && flushed.ok()) flushed = Failure("write failed");
  buffer_.reset();
  return flushed;
}

// ---- AtomicFile ----

AtomicFile::AtomicFile() = default;
AtomicFile::~AtomicFile() { Abandon(); }
AtomicFile::AtomicFile(AtomicFile&& other) noexcept = default;
AtomicFile& AtomicFile::operator=(AtomicFile&& other) noexcept {
  if (this != &other) {
    Abandon();
    path_ = std::move(other.path_);
    staging_ = std::move(other.staging_);
    file_ = std::move(other.file_);
  }
  return *this;
}

Result<AtomicFile> AtomicFile::Create(const std::string& path) {
  const std::filesystem::path target(path);
  const std::string parent = target.has_parent_path() ? target.parent_path().string() : ".";
  std::error_code ec;
  if (std::filesystem::is_directory(target, ec)) return Error{path + ": is a directory, expected a file"};
  auto staging = StagingDir::Create(parent);
  if (!staging) return Error{path + ": cannot create: " + staging.error().message};
  AtomicFile out;
  out.path_ = path;
  out.staging_ = std::make_unique<StagingDir>(std::move(*staging));
  auto file = OutputFile::Create(out.staging_->out(), path);
  if (!file) return file.error();
  out.file_ = std::move(*file);
  return out;
}

Status AtomicFile::Commit() {
  if (!staging_) return Error{path_ + ": commit after close"};
  Status s = file_.Close(Durability::kDurable);
  if (s.ok()) s = staging_->Publish(path_);
  Abandon();
  return s;
}

void AtomicFile::Abandon() {
  (void)file_.Close(Durability::kVolatile);
  if (staging_) {
    staging_->Remove();
    staging_.reset();
  }
}

Status WriteFileAtomic(const std::string& path, std::string_view content) {
  auto file = AtomicFile::Create(path);
  if (!file) return file.error();
  if (Status s = file->Write(content); !s) return s;
  return file->Commit();
}

Status SyncDirectory(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Error{path + ": cannot open directory: " + Errno()};
  const bool ok = ::fsync(fd) == 0;
  const std::string error = ok ? "" : Errno();
  ::close(fd);
  if (!ok) return Error{path + ": cannot sync directory: " + error};
  return Status::Ok();
}

}  // namespace segverify
