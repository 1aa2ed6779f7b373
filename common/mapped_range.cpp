#include "common/mapped_range.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace segverify {

Result<MappedRange> MappedRange::MapFd(int fd, const std::string& name, std::uint64_t offset, std::uint64_t length,
                                       bool writable) {
  MappedRange range;
  range.size_ = static_cast<std::size_t>(length);
  if (length == 0) return range;
  const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  const std::uint64_t start = offset / page * page;
  range.map_size_ = static_cast<std::size_t>(offset - start + length);
  void* p = ::mmap(nullptr, range.map_size_, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd,
                   static_cast<off_t>(start));
  if (p == MAP_FAILED) return Error{name + ": cannot map: " + std::strerror(errno)};
  range.map_ = p;
  range.data_ = static_cast<std::uint8_t*>(p) + (offset - start);
  return range;
}

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
  auto range = MapFd(fd, path, 0, static_cast<std::uint64_t>(st.st_size), false);
  ::close(fd);
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
  auto range = MapFd(fd, path, offset, length, false);
  ::close(fd);
  return range;
}

}  // namespace segverify
