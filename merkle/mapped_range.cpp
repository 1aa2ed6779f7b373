#include "merkle/mapped_range.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace segverify::merkle {
namespace {

// Maps [offset, offset + length) of an open file; the map starts at the page holding `offset`.
Status MapRange(int fd, const std::string& path, std::uint64_t offset, std::uint64_t length, void** map,
                std::size_t* map_size, const std::uint8_t** data) {
  if (length == 0) return Status::Ok();
  const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  const std::uint64_t start = offset / page * page;
  *map_size = static_cast<std::size_t>(offset - start + length);
  void* p = ::mmap(nullptr, *map_size, PROT_READ, MAP_SHARED, fd, static_cast<off_t>(start));
  if (p == MAP_FAILED) return Error{path + ": cannot map: " + std::strerror(errno)};
  *map = p;
  *data = static_cast<const std::uint8_t*>(p) + (offset - start);
  return Status::Ok();
}

}  // namespace

MappedRange::~MappedRange() { Unmap(); }

MappedRange::MappedRange(MappedRange&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      map_(std::exchange(other.map_, nullptr)),
      map_size_(std::exchange(other.map_size_, 0)) {}

MappedRange& MappedRange::operator=(MappedRange&& other) noexcept {
  if (this != &other) {
    Unmap();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    map_ = std::exchange(other.map_, nullptr);
    map_size_ = std::exchange(other.map_size_, 0);
  }
  return *this;
}

void MappedRange::Unmap() {
  if (map_ != nullptr) ::munmap(map_, map_size_);
  map_ = nullptr;
  data_ = nullptr;
  size_ = map_size_ = 0;
}

Result<MappedRange> MappedRange::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{path + ": cannot open: " + std::strerror(errno)};
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return Error{path + ": cannot stat"};
  }
  MappedRange range;
  range.size_ = static_cast<std::size_t>(st.st_size);
  const Status s = MapRange(fd, path, 0, range.size_, &range.map_, &range.map_size_, &range.data_);
  ::close(fd);
  if (!s.ok()) return s.error();
  return range;
}

Result<MappedRange> MappedRange::Open(const std::string& path, std::uint64_t offset, std::uint64_t length) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{path + ": cannot open: " + std::strerror(errno)};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || static_cast<std::uint64_t>(st.st_size) < offset + length) {
    ::close(fd);
    return Error{path + ": shorter than expected (changed while being read?)"};
  }
  MappedRange range;
  range.size_ = static_cast<std::size_t>(length);
  const Status s = MapRange(fd, path, offset, length, &range.map_, &range.map_size_, &range.data_);
  ::close(fd);
  if (!s.ok()) return s.error();
  return range;
}

}  // namespace segverify::merkle
