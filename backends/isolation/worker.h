// The worker side of IsolatedBackend: what a forked child does until its socket closes.
// Internal to backends/isolation/.
#pragma once

#include <cstdint>

#include "backends/isolation/isolated_backend.h"
#include "backends/isolation/worker_progress.h"

namespace convcheck::isolation {

// Frame tags. A request carries a batch of cases (each followed by optional RunPadded pads);
// a worker answers with one hello after it has created its backend and run a canary case (the
// hello carries "" or what went wrong), then outcomes frames: the outcomes of the next cases of
// its request, in order; one frame per request unless its cases are slow (worker.cpp). Which
// case it is running, and since when, it publishes on the shared WorkerProgress page, so the
// parent knows which case a crash or a hang interrupted.
enum Tag : uint8_t { kHello = 1, kRequest = 2, kOutcomes = 3 };

// The first thing every worker does after fork (the shape workers and the numeric one): die
// with the parent, leave Ctrl-C to the parent (which finishes its batch and reports), take the
// default action on the signals a crashing case raises, and write no core files.
void BecomeWorkerProcess();

// Runs in the child after fork: sends its stdout and stderr to `output_fd` (when >= 0), applies
// the address-space limit, creates the backend, serves requests on `fd`, publishing each case it
// starts on `progress`, and exits (without returning) when the parent closes its end.
[[noreturn]] void WorkerMain(int fd, const BackendFactory& factory, uint64_t rlimit_mb, int output_fd,
                             WorkerProgress* progress);

}  // namespace convcheck::isolation
