// The tests' process runner (tests/support/process.h): a server a test starts never outlives the
// test, even when the test dies without running a destructor (a crash, an abort).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "tests/support/process.h"

namespace segverify::testing {
namespace {

TEST(ChildProcess, AServerDiesWithATestThatCrashes) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t test = ::fork();
  ASSERT_GE(test, 0);
  if (test == 0) {  // the "test": starts a server, reports its pid, then dies without cleaning up
    ::close(pipe_fds[0]);
    auto* server = new ChildProcess("sleep", {"600"}, false);
    const pid_t pid = server->pid();
    if (::write(pipe_fds[1], &pid, sizeof pid) != static_cast<ssize_t>(sizeof pid)) ::_exit(3);
    ::_exit(0);  // no destructor runs, as in a crash
  }
  ::close(pipe_fds[1]);
  pid_t server = -1;
  ASSERT_EQ(::read(pipe_fds[0], &server, sizeof server), static_cast<ssize_t>(sizeof server));
  ::close(pipe_fds[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(test, &status, 0), test);
  // The server is not our child (its parent died): poll until it is gone.
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    gone = ::kill(server, 0) != 0;
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!gone) ::kill(server, SIGKILL);
  EXPECT_TRUE(gone) << "the server outlived the test that started it";
}

}  // namespace
}  // namespace segverify::testing
