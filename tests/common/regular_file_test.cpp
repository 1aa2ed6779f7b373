// Pins common/regular_file.h: a regular file opens; a FIFO (which would block open() and every
// read forever), a directory, a missing path are refused at once, naming the path and what it is.
#include "common/regular_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "tests/support/test_support.h"

namespace segverify {
namespace {

using testing::TempDir;
using testing::WriteFile;

TEST(RegularFile, ARegularFileOpensAndReads) {
  TempDir dir;
  WriteFile(dir.File("a.txt"), "abc");
  ASSERT_TRUE(CheckRegularFile(dir.File("a.txt")).ok());
  auto fd = OpenRegularFile(dir.File("a.txt"));
  ASSERT_TRUE(fd.ok()) << fd.error().message;
  char buffer[4] = {};
  EXPECT_EQ(::read(*fd, buffer, sizeof buffer), 3);  // blocking again after the non-blocking open
  EXPECT_EQ(std::string(buffer, 3), "abc");
  ::close(*fd);
}

TEST(RegularFile, AFifoIsRefusedAtOnceNotWaitedOn) {
  TempDir dir;
  const std::string fifo = dir.File("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto fd = OpenRegularFile(fifo);  // with no writer, a plain open() would never return
  ASSERT_FALSE(fd.ok());
  EXPECT_NE(fd.error().message.find(fifo), std::string::npos) << fd.error().message;
  EXPECT_NE(fd.error().message.find("FIFO"), std::string::npos) << fd.error().message;
  EXPECT_FALSE(CheckRegularFile(fifo).ok());
}

TEST(RegularFile, ADirectoryOrAMissingPathIsRefused) {
  TempDir dir;
  EXPECT_FALSE(OpenRegularFile(dir.path()).ok());
  EXPECT_FALSE(CheckRegularFile(dir.path()).ok());
  auto missing = OpenRegularFile(dir.File("none"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find(dir.File("none")), std::string::npos) << missing.error().message;
  EXPECT_FALSE(CheckRegularFile(dir.File("none")).ok());
}

}  // namespace
}  // namespace segverify
