// The worker side of IsolatedBackend: what a forked child does until its socket closes.
// Internal to backends/isolation/.
#pragma once

#include <cstdint>

#include "backends/isolation/isolated_backend.h"

namespace convcheck::isolation {

// Frame tags. A request carries a batch of cases (each followed by optional RunPadded pads);
// a worker answers with one hello after it has
// created its backend and run a canary case (the hello carries "" or what went wrong), then one outcome frame per case, each sent as soon as the case is done,
// so the parent knows exactly which case a crash interrupted.
enum Tag : uint8_t { kHello = 1, kRequest = 2, kOutcome = 3 };

// Runs in the child after fork: sends its stdout and stderr to `output_fd` (when >= 0), applies
// the address-space limit, creates the backend, serves requests on `fd` and exits (without
// returning) when the parent closes its end.
[[noreturn]] void WorkerMain(int fd, const BackendFactory& factory, uint64_t rlimit_mb, int output_fd);

}  // namespace convcheck::isolation
