#include "verifier/cli/checked_stdout.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace segverify::cli {
namespace {

constexpr std::size_t kBufferBytes = std::size_t{1} << 16;

}  // namespace

CheckedStdout::CheckedStdout(int fd) : fd_(fd), buffer_(kBufferBytes) {
  setp(buffer_.data(), buffer_.data() + buffer_.size());
}

bool CheckedStdout::WriteAll(const char* data, std::size_t size) {
  if (error_ != 0) return false;
  while (size > 0) {
    const ssize_t n = ::write(fd_, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = n < 0 ? errno : EIO;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool CheckedStdout::Drain() {
  const bool ok = WriteAll(pbase(), static_cast<std::size_t>(pptr() - pbase()));
  setp(buffer_.data(), buffer_.data() + buffer_.size());
  return ok;
}

CheckedStdout::int_type CheckedStdout::overflow(int_type ch) {
  if (!Drain()) return traits_type::eof();
  if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
  *pptr() = traits_type::to_char_type(ch);
  pbump(1);
  return ch;
}

std::streamsize CheckedStdout::xsputn(const char* data, std::streamsize size) {
  const auto count = static_cast<std::size_t>(size);
  if (count <= static_cast<std::size_t>(epptr() - pptr())) {
    std::memcpy(pptr(), data, count);
    pbump(static_cast<int>(count));
    return size;
  }
  if (!Drain()) return 0;
  if (count <= buffer_.size()) {
    std::memcpy(pptr(), data, count);
    pbump(static_cast<int>(count));
    return size;
  }
  return WriteAll(data, count) ? size : 0;  // larger than the buffer: straight through
}

int CheckedStdout::sync() { return Drain() ? 0 : -1; }

std::string CheckedStdout::Finish() {
  Drain();
  // close() is where some filesystems (NFS) report a write that failed after it was accepted.
  if (::close(fd_) != 0 && errno != EBADF && error_ == 0) error_ = errno;
  fd_ = -1;
  return error_ == 0 ? std::string() : std::string(std::strerror(error_));
}

}  // namespace segverify::cli
