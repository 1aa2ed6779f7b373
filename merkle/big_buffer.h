// Large scratch arrays for the tree builder: mapped directly from the kernel and left
// uninitialised (std::vector would write every byte once before the builder does), and reused
// across buckets (Resize only grows). Transparent huge pages were tried (madvise): ten times fewer
// page faults, but twice the system time, the kernel clearing and compacting 2 MiB pages.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <new>
#include <utility>

namespace segverify::merkle {

template <typename T>
class BigBuffer {
 public:
  BigBuffer() = default;
  ~BigBuffer() { Release(); }
  BigBuffer(const BigBuffer&) = delete;
  BigBuffer& operator=(const BigBuffer&) = delete;
  BigBuffer(BigBuffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        capacity_(std::exchange(other.capacity_, 0)),
        size_(std::exchange(other.size_, 0)) {}
  BigBuffer& operator=(BigBuffer&& other) noexcept {
    if (this != &other) {
      Release();
      data_ = std::exchange(other.data_, nullptr);
      capacity_ = std::exchange(other.capacity_, 0);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }

  // Makes room for `count` elements (contents unspecified: the caller writes before it reads).
  void Resize(std::size_t count) {
    if (count > capacity_) {
      Release();
      const std::size_t bytes = count * sizeof(T);
      void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) throw std::bad_alloc();
      data_ = static_cast<T*>(p);
      capacity_ = count;
    }
    size_ = count;
  }
  void Release() {
    if (data_ != nullptr) ::munmap(data_, capacity_ * sizeof(T));
    data_ = nullptr;
    capacity_ = size_ = 0;
  }

  T* data() { return data_; }
  const T* data() const { return data_; }
  std::size_t size() const { return size_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }

 private:
  T* data_ = nullptr;
  std::size_t capacity_ = 0;
  std::size_t size_ = 0;
};

}  // namespace segverify::merkle
