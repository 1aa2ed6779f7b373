// File input and output.
//
// OutputFile is the one writer of files: buffered appends, positioned writes (pwrite) and, for
// large files of known size, writable memory maps of regions (no copy into the page cache; the
// space reserved first, so that a full disk is an error, never a SIGBUS); every error names the
// file, and Close() chooses whether the bytes must be durable (fsync) — only what gets published
// needs to be; scratch files never do.
// AtomicFile publishes one file whole: it writes into a staging directory beside the target
// (common/staging_dir.h) and, on Commit(), makes the file durable and renames it onto the
// target. A run that dies leaves at most that staging directory, which the next run in the same
// directory removes; a destroyed, uncommitted AtomicFile removes it at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/mapped_range.h"
#include "common/result.h"

namespace segverify {

class StagingDir;

// Reads a whole file, failing (without reading it) if it is larger than max_bytes.
Result<std::string> ReadFileLimited(const std::string& path, std::size_t max_bytes);

enum class Durability {
  kVolatile,  // scratch files, or files whose directory is discarded on failure anyway
  kDurable,   // fsync before close: the file is about to be published by a rename
};

class OutputFile {
 public:
  OutputFile() = default;
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  OutputFile(OutputFile&& other) noexcept;
  OutputFile& operator=(OutputFile&& other) noexcept;

  // Creates (or truncates) `path`. Errors read "<label>: ..." (label defaults to the path).
  [[nodiscard]] static Result<OutputFile> Create(const std::string& path, std::string label = "");

  // Appends through a 1 MiB buffer (larger writes go straight to the file).
  [[nodiscard]] Status Write(const void* data, std::size_t size);
  [[nodiscard]] Status Write(std::string_view data) { return Write(data.data(), data.size()); }
  // Writes at `offset`, bypassing the append buffer; safe to call from several threads at once
  // for disjoint ranges.
  [[nodiscard]] Status WriteAt(std::uint64_t offset, const void* data, std::size_t size) const;
  [[nodiscard]] Status Flush();
  // Reserves `size` bytes (posix_fallocate): ENOSPC or EFBIG show up here, before any Map().
  [[nodiscard]] Status Reserve(std::uint64_t size);
  // A writable map of bytes [offset, offset + length), which must lie within the reserved size.
  [[nodiscard]] Result<MappedRange> Map(std::uint64_t offset, std::uint64_t length) const;
  // Asks the kernel to start writing what was written so far (or the given range) to disk,
  // without waiting, so that a later durable Close() finds little left to do.
  void StartWriteback() const;
  void StartWriteback(std::uint64_t offset, std::uint64_t length) const;
  // Flushes, fsyncs when durable, closes. Closing a closed file is a no-op.
  [[nodiscard]] Status Close(Durability durability);

  bool is_open() const { return fd_ >= 0; }
  const std::string& path() const { return path_; }
  std::uint64_t appended() const { return appended_; }  // bytes given to Write()

 private:
  Error Failure(std::string_view what) const;  // "<label>: <what>: <strerror(errno)>"

  int fd_ = -1;
  std::string path_;
  std::string label_;
  std::unique_ptr<char[]> buffer_;
  std::size_t buffered_ = 0;
  std::uint64_t appended_ = 0;
};

class AtomicFile {
 public:
  AtomicFile();
  ~AtomicFile();
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&& other) noexcept;

  // Creates the staging directory beside `path` and the file inside it.
  [[nodiscard]] static Result<AtomicFile> Create(const std::string& path);

  [[nodiscard]] Status Write(std::string_view data) { return file_.Write(data); }
  [[nodiscard]] Status Write(const void* data, std::size_t size) { return file_.Write(data, size); }
  // The file being written (for positioned writes and writeback hints).
  OutputFile& file() { return file_; }
  // Flushes, fsyncs and renames the file onto the final path, then removes the staging directory.
  [[nodiscard]] Status Commit();
  // Removes the unfinished file and its staging directory (also done by the destructor).
  void Abandon();

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::unique_ptr<StagingDir> staging_;
  OutputFile file_;
};

// Convenience: writes `content` to `path` atomically.
[[nodiscard]] Status WriteFileAtomic(const std::string& path, std::string_view content);

// fsyncs a directory, so that the names created or renamed in it survive a crash.
[[nodiscard]] Status SyncDirectory(const std::string& path);

}  // namespace segverify
