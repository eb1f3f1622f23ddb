// Crash isolation (issue #5): a Backend decorator that runs every case of another backend in
// forked worker processes. A case that kills its worker (SIGSEGV, SIGFPE, SIGABRT, an OOM kill)
// becomes BackendOutcome::Crashed("SIGSEGV"), one that runs past the per-case limit becomes
// TimedOut, and the rest of the batch continues in a fresh worker. Several workers run disjoint
// parts of a batch; outcome i always belongs to case i, so results do not depend on `jobs`.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "backends/isolation/captured_output.h"
#include "backends/isolation/case_time_limit.h"
#include "oracles/output_shape.h"

namespace convcheck {

struct IsolationOptions {
  int jobs = 1;                 // worker processes
  // Address space (MiB) a worker may add to what it has mapped when it starts (RLIMIT_AS);
  // 0 = no limit. Relative because LibTorch alone maps hundreds of MiB before any case runs.
  uint64_t rlimit_mb = 2048;
  // Per case; the worker is killed past it. The slowest case of a default run takes under
  // 0.1 s (bench/bench_case_cost), so 5 s is ample even on a loaded machine; a known
  // LibTorch 1.13.1 hang (max_pool1d with kernel 2^63-1) would cost a run this limit each time
  // it is drawn, so families known to hang get their own, shorter limit (`known_hangs`).
  double case_timeout_s = 5;
  // Shorter limits for cases known to hang; null: every case gets case_timeout_s.
  std::shared_ptr<const CaseTimeLimit> known_hangs;
  // The fewest cases a request carries (a batch's last requests). Earlier requests are larger:
  // each takes half of an even share of the cases left (RequestSize). Every request costs its
  // worker a wake-up of the parent and a sleep, and on the 2-core VM of these figures both also
  // slow the cases that follow them: a bare loop that woke a sleeping process every 16 cases
  // fell from 73,500 to 61,200 cases/s, one that slept 50 us every 16 cases to 37,500. With
  // guided requests bench/bench_isolation's one worker ran 45,300-48,000 cases/s, against
  // 35,100-37,400 with requests of 16.
  int min_chunk = 16;
  // Where the workers' stdout and stderr go (library warnings); nullptr: a collector of the
  // backend's own. Shared so the session can report it after the run.
  std::shared_ptr<CapturedOutput> captured;
};

// How many of the `left` cases of a batch the next request takes: guided scheduling (OpenMP's
// schedule(guided)), half of an even share of what is left, so requests are large while there
// is much to do and small at the end, where they keep the workers finishing together. Never
// fewer than `smallest`, nor more than `left` or a worker takes (kMaxRequestCases).
size_t RequestSize(size_t left, size_t workers, size_t smallest);

// Creates the wrapped backend. Called only inside workers, never in the parent, so no framework
// op runs and no framework thread starts in the process every worker is forked from.
using BackendFactory = std::function<std::unique_ptr<Backend>()>;

class IsolatedBackend final : public Backend {
 public:
  IsolatedBackend(BackendFactory factory, IsolationOptions options);
  ~IsolatedBackend() override;
  IsolatedBackend(const IsolatedBackend&) = delete;
  IsolatedBackend& operator=(const IsolatedBackend&) = delete;

  // Name, version and devices are those of the wrapped backend, as its first worker reports
  // them ("unavailable" when no worker could start).
  std::string Name() const override;
  std::string Version() const override;
  std::vector<Device> Devices() const override;
  // One case in a worker (shrinking calls this, so crashing cases are minimized in workers).
  BackendOutcome Run(const ConvCase& c) override;
  // Spreads the batch over the workers; never throws, never dies with a worker.
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override;
  // The wrapped backend's RunPadded, in a worker.
  BackendOutcome RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) override;
  // Spreads the recipe calls over the workers, as RunBatch.
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override;

  // Workers put to work so far (one per slot, plus one per crash or timeout); spares forked
  // ahead count when they take a slot.
  int64_t WorkersStarted() const;
  // Starts the first worker if none has started and returns why it could not: each worker runs
  // a canary case before its verdicts count, so a resource limit too small for the framework is
  // found here, once, rather than as "crashes" of innocent cases. "" when a worker is healthy.
  std::string StartupProblem();
  // What the workers printed so far (read back after every batch and when a worker ends).
  const CapturedOutput& Captured() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "SIGSEGV" for a known signal number, "signal 42" otherwise.
std::string SignalName(int signal_number);

// Waits for worker process `pid` to end (killing it first when asked) and says how it ended:
// its signal's name, "worker exited with status N", or "worker vanished" when it cannot be waited for.
std::string EndProcess(int pid, bool kill_first);

}  // namespace convcheck
