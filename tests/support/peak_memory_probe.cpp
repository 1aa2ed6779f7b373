// peak_memory_probe RSS_FILE PROGRAM [ARGS...]: runs PROGRAM and writes its peak resident memory
// (wait4's ru_maxrss, KiB) to RSS_FILE; exits as PROGRAM did (same code, or the same signal).
//
// Why a separate program: Linux keeps a process's high-water RSS across execve, and a forked child
// starts as a copy of its parent, so a test that forks and execs segverify itself measures the test
// process (hundreds of MB of inputs, more under ASan), not segverify. This probe is exec'd first,
// so the process it forks is a copy of this small one.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: peak_memory_probe RSS_FILE PROGRAM [ARGS...]\n");
    return 125;
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) return 125;
  if (pid == 0) {
    // A test that kills the probe at its time limit kills the program too.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(125);
    execv(argv[2], argv + 2);
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0) {
  }
  if (FILE* out = std::fopen(argv[1], "w")) {
    std::fprintf(out, "%ld\n", usage.ru_maxrss);
    std::fclose(out);
  }
  if (WIFSIGNALED(status)) {
    signal(WTERMSIG(status), SIG_DFL);
    raise(WTERMSIG(status));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 125;
}
