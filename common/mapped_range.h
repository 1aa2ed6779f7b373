// Memory maps of a file or of a byte range of one: read-only (MappedRange::Open) or writable
// (OutputFile::Map, common/file_io.h). Reading or writing through a map costs no copy between a buffer and the
// page cache (for gigabytes of CSV, spilled rows and tree levels, those copies were a fifth of a
// build's CPU time), and unmapping gives the pages back, so a range mapped, used and dropped keeps
// memory bounded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace segverify {

class MappedRange {
 public:
  MappedRange() = default;
  ~MappedRange();
  MappedRange(const MappedRange&) = delete;
  MappedRange& operator=(const MappedRange&) = delete;
  MappedRange(MappedRange&& other) noexcept;
  MappedRange& operator=(MappedRange&& other) noexcept;

  // The whole file.
  [[nodiscard]] static Result<MappedRange> Open(const std::string& path);
  // Bytes [offset, offset + length) of the file (which must be that long).
  [[nodiscard]] static Result<MappedRange> Open(const std::string& path, std::uint64_t offset, std::uint64_t length);

  const std::uint8_t* data() const { return data_; }
  std::uint8_t* mutable_data() { return data_; }  // a writable map only
  std::size_t size() const { return size_; }
  std::string_view text() const { return {reinterpret_cast<const char*>(data_), size_}; }

 private:
  friend class OutputFile;  // writable maps
  // Maps [offset, offset + length) of an open file (the map starts at the page holding `offset`).
  static Result<MappedRange> MapFd(int fd, const std::string& name, std::uint64_t offset, std::uint64_t length,
                                   bool writable);
  void Unmap();
  std::uint8_t* data_ = nullptr;  // offset bytes into the map
  std::size_t size_ = 0;
  void* map_ = nullptr;
  std::size_t map_size_ = 0;
};

}  // namespace segverify
