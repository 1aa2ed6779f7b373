// Scratch files that several workers append records to at once, for the tree builder when the
// accounts do not fit in memory: rows by leaf-position bucket, index entries by key group.
//
// Each worker fills a buffer per file and writes it out at an offset reserved with an atomic
// add, so workers never wait for each other. Scratch files are never made durable: they live in
// the build's staging directory and go with it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/file_io.h"
#include "common/mapped_range.h"
#include "common/result.h"

namespace segverify::merkle {

class SpillFiles {
 public:
  // Creates `files` files "<dir>/<prefix>-<i>.tmp" for `workers` workers.
  [[nodiscard]] Status Create(const std::string& dir, const std::string& prefix, std::size_t files, unsigned workers);

  // Appends a record (records never straddle two buffer flushes).
  [[nodiscard]] Status Append(unsigned worker, std::size_t file, const void* data, std::size_t size);
  // Writes out every worker's buffers; call once the workers have finished.
  [[nodiscard]] Status FlushAll();

  std::size_t files() const { return files_.size(); }
  std::uint64_t Size(std::size_t file) const { return sizes_[file]; }
  // Maps file `file` whole for reading, then deletes it (the map stays readable).
  [[nodiscard]] Result<MappedRange> MapAndRemove(std::size_t file);

 private:
  struct Buffer {
    std::unique_ptr<std::uint8_t[]> data;
    std::size_t used = 0;
  };
  [[nodiscard]] Status FlushBuffer(std::size_t file, Buffer& buffer);

  std::vector<OutputFile> files_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> sizes_;
  std::vector<std::vector<Buffer>> buffers_;  // [worker][file]
};

}  // namespace segverify::merkle
