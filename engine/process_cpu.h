// CPU time of this process and of its children (the isolated workers), for the summary's "cpu:"
// line. Wall time per stage cannot show whether a run is bound by the framework (the workers)
// or by the harness (this process: drawing, judging, properties, IPC), nor how much a larger
// --jobs can give: on N cores a run takes at least (own + workers) / N, and at least own.
#pragma once

#include <string>
#include <vector>

namespace convcheck {

struct ProcessCpu {
  double own = 0;      // seconds, every thread of this process (user + system)
  double workers = 0;  // seconds, children: those reaped plus those still running
};

// Now. Children still running are read from /proc (Linux); where that is unavailable only the
// reaped ones count.
ProcessCpu ProcessCpuNow();

// The pids of this process's live children, every thread's (a worker is forked by the backend
// thread), from /proc; empty where that is unavailable.
std::vector<std::string> LiveChildPids();

}  // namespace convcheck
