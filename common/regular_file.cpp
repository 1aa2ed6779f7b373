#include "common/regular_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace segverify {
namespace {

std::string Errno() { return std::strerror(errno); }

const char* KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

}  // namespace

Result<int> OpenRegularFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return Error{path + ": cannot open: " + Errno()};
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const std::string why = Errno();
    ::close(fd);
    return Error{path + ": cannot stat: " + why};
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Error{path + ": is " + std::string(KindOf(st.st_mode)) + ", expected a regular file"};
  }
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
    const std::string why = Errno();
    ::close(fd);
    return Error{path + ": cannot open: " + why};
  }
  return fd;
}

Status CheckRegularFile(const std::string& path) {
  auto fd = OpenRegularFile(path);
  if (!fd) return fd.error();
  ::close(*fd);
  return Status::Ok();
}

}  // namespace segverify
