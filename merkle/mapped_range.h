// A read-only memory map of a file, or of a byte range of one. Reading through a map costs no copy
// into a buffer (for gigabytes of CSV and spilled rows, the copies were a fifth of a build's CPU
// time), and unmapping gives the pages back, so a range mapped, read and dropped keeps memory
// bounded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace segverify::merkle {

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
  std::size_t size() const { return size_; }
  std::string_view text() const { return {reinterpret_cast<const char*>(data_), size_}; }

 private:
  void Unmap();
  const std::uint8_t* data_ = nullptr;  // offset bytes into the map
  std::size_t size_ = 0;
  void* map_ = nullptr;
  std::size_t map_size_ = 0;
};

}  // namespace segverify::merkle
