// File input and atomic output.
//
// Outputs are never half-written: AtomicFile writes to "<path>.tmp-<pid>-<n>" and renames over
// `path` only on Commit(); a destroyed, uncommitted AtomicFile removes its temporary.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "common/result.h"

namespace segverify {

// Reads a whole file, failing (without reading it) if it is larger than max_bytes.
Result<std::string> ReadFileLimited(const std::string& path, std::size_t max_bytes);

class AtomicFile {
 public:
  AtomicFile() = default;
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&& other) noexcept;

  // Creates the temporary file beside `path`.
  [[nodiscard]] static Result<AtomicFile> Create(const std::string& path);

  [[nodiscard]] Status Write(std::string_view data);
  [[nodiscard]] Status Write(const void* data, std::size_t size);
  // Flushes, fsyncs and renames the temporary onto the final path.
  [[nodiscard]] Status Commit();
  // Removes the temporary (also done by the destructor when not committed).
  void Abandon();

  std::FILE* stream() { return file_; }
  const std::string& path() const { return path_; }
  const std::string& temp_path() const { return temp_path_; }

 private:
  std::string path_;
  std::string temp_path_;
  std::FILE* file_ = nullptr;
};

// Convenience: writes `content` to `path` atomically.
[[nodiscard]] Status WriteFileAtomic(const std::string& path, std::string_view content);

}  // namespace segverify
