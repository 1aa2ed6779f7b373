#include "common/file_io.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <utility>

#include <unistd.h>

namespace segverify {
namespace {

std::string Errno() { return std::strerror(errno); }

}  // namespace

Result<std::string> ReadFileLimited(const std::string& path, std::size_t max_bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Error{path + ": is a directory, expected a file"};
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Error{path + ": cannot open: " + Errno()};
  std::string out;
  char buffer[1 << 16];
  while (true) {
    const std::size_t n = std::fread(buffer, 1, sizeof buffer, f);
    if (n == 0) break;
    if (out.size() + n > max_bytes) {
      std::fclose(f);
      return Error{path + ": file larger than " + std::to_string(max_bytes) + " bytes"};
    }
    out.append(buffer, n);
  }
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return Error{path + ": read error"};
  return out;
}

AtomicFile::~AtomicFile() { Abandon(); }

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : path_(std::move(other.path_)), temp_path_(std::move(other.temp_path_)), file_(std::exchange(other.file_, nullptr)) {}

AtomicFile& AtomicFile::operator=(AtomicFile&& other) noexcept {
  if (this != &other) {
    Abandon();
    path_ = std::move(other.path_);
    temp_path_ = std::move(other.temp_path_);
    file_ = std::exchange(other.file_, nullptr);
  }
  return *this;
}

Result<AtomicFile> AtomicFile::Create(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  AtomicFile out;
  out.path_ = path;
  out.temp_path_ = path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  out.file_ = std::fopen(out.temp_path_.c_str(), "wb");
  if (out.file_ == nullptr) return Error{path + ": cannot create: " + Errno()};
  return out;
}

Status AtomicFile::Write(const void* data, std::size_t size) {
  if (file_ == nullptr) return Error{path_ + ": write after close"};
  if (size != 0 && std::fwrite(data, 1, size, file_) != size) return Error{path_ + ": write failed: " + Errno()};
  return Status::Ok();
}

Status AtomicFile::Write(std::string_view data) { return Write(data.data(), data.size()); }

Status AtomicFile::Commit() {
  if (file_ == nullptr) return Error{path_ + ": commit after close"};
  const bool flushed = std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!flushed || !closed) {
    std::remove(temp_path_.c_str());
    return Error{path_ + ": write failed: " + Errno()};
  }
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    std::remove(temp_path_.c_str());
    return Error{path_ + ": cannot rename into place: " + Errno()};
  }
  temp_path_.clear();
  return Status::Ok();
}

void AtomicFile::Abandon() {
  if (file_ != nullptr) {
    std::fclose(file_);
    file_ = nullptr;
  }
  if (!temp_path_.empty()) {
    std::remove(temp_path_.c_str());
    temp_path_.clear();
  }
}

Status WriteFileAtomic(const std::string& path, std::string_view content) {
  auto file = AtomicFile::Create(path);
  if (!file) return file.error();
  if (Status s = file->Write(content); !s) return s;
  return file->Commit();
}

}  // namespace segverify
