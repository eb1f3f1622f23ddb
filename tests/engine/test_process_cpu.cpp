// ProcessCpuNow counts a child's CPU while it runs (from /proc) and after it is reaped
// (getrusage), the way a run's isolated workers are counted whether they live to the end or not.
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <ctime>

#include <gtest/gtest.h>

#include "engine/process_cpu.h"

namespace convcheck {
namespace {

// Spins for `seconds` of CPU time (the process's own clock, not the wall's).
void Burn(double seconds) {
  const std::clock_t until = std::clock() + static_cast<std::clock_t>(seconds * CLOCKS_PER_SEC);
  volatile unsigned long x = 0;
  while (std::clock() < until) x = x + 1;
}

TEST(ProcessCpu, CountsAChildWhileItRunsAndOnceItIsReaped) {
  const ProcessCpu before = ProcessCpuNow();
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    Burn(0.3);
    const char done = 1;
    (void)!write(ready[1], &done, 1);
    pause();  // stays alive, its CPU spent, until the test kills it
    _exit(0);
  }
  close(ready[1]);
  char done = 0;
  ASSERT_EQ(read(ready[0], &done, 1), 1);
  close(ready[0]);
  const ProcessCpu running = ProcessCpuNow();
  EXPECT_GE(running.workers - before.workers, 0.25) << "a running child is read from /proc";
  kill(child, SIGKILL);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  const ProcessCpu reaped = ProcessCpuNow();
  EXPECT_GE(reaped.workers - before.workers, 0.25) << "a reaped child is counted by getrusage";
  EXPECT_LT(reaped.workers - before.workers, 0.5) << "counted once, not once alive and once reaped";
  EXPECT_GE(reaped.own, before.own);
}

}  // namespace
}  // namespace convcheck
