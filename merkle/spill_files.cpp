#include "merkle/spill_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace segverify::merkle {
namespace {

constexpr std::size_t kBufferBytes = 32 << 10;

}  // namespace

Status SpillFiles::Create(const std::string& dir, const std::string& prefix, std::size_t files, unsigned workers) {
  files_.clear();
  sizes_ = std::make_unique<std::atomic<std::uint64_t>[]>(files);
  for (std::size_t i = 0; i < files; ++i) {
    auto file = OutputFile::Create(dir + "/" + prefix + "-" + std::to_string(i) + ".tmp", "temporary file");
    if (!file) return file.error();
    files_.push_back(std::move(*file));
    sizes_[i] = 0;
  }
  buffers_.clear();
  buffers_.resize(workers);
  for (auto& worker : buffers_) worker.resize(files);
  return Status::Ok();
}

Status SpillFiles::FlushBuffer(std::size_t file, Buffer& buffer) {
  if (buffer.used == 0) return Status::Ok();
  const std::uint64_t offset = sizes_[file].fetch_add(buffer.used);
  const std::size_t size = buffer.used;
  buffer.used = 0;
  return files_[file].WriteAt(offset, buffer.data.get(), size);
}

Status SpillFiles::Append(unsigned worker, std::size_t file, const void* data, std::size_t size) {
  Buffer& buffer = buffers_[worker][file];
  if (!buffer.data) buffer.data = std::make_unique<std::uint8_t[]>(kBufferBytes);
  if (buffer.used + size > kBufferBytes) {
    if (Status s = FlushBuffer(file, buffer); !s) return s;
  }
  if (size > kBufferBytes) {
    const std::uint64_t offset = sizes_[file].fetch_add(size);
    return files_[file].WriteAt(offset, data, size);
  }
  std::memcpy(buffer.data.get() + buffer.used, data, size);
  buffer.used += size;
  return Status::Ok();
}

Status SpillFiles::FlushAll() {
  for (auto& worker : buffers_) {
    for (std::size_t f = 0; f < worker.size(); ++f) {
      if (Status s = FlushBuffer(f, worker[f]); !s) return s;
      worker[f].data.reset();
    }
  }
  return Status::Ok();
}

Result<MappedRange> SpillFiles::MapAndRemove(std::size_t file) {
  const std::string path = files_[file].path();
  if (Status s = files_[file].Close(Durability::kVolatile); !s) return s.error();
  auto map = MappedRange::Open(path, 0, sizes_[file]);
  ::unlink(path.c_str());
  return map;
}

}  // namespace segverify::merkle
