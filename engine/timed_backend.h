// A Backend decorator that measures the wall time spent in the backend it wraps, so a run's
// report can say where its time went. The engine's backend thread and its judging thread share
// one backend through it, so calls run one at a time (a framework backend, an isolated one
// above all, serves one caller), and each thread's own time in it, the wait for the other
// thread included, is kept apart: a property's own time is its wall time less what its thread
// spent here. Forwards every call of the interface (tests/backends/test_decorators_forward.cpp).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "backends/backend.h"

namespace convcheck {

// Calls, cases and wall seconds spent inside one backend.
struct BackendTime {
  int64_t calls = 0;   // Run, RunBatch, RunPadded and RunPaddedBatch calls
  int64_t cases = 0;   // cases those calls carried (a RunBatch counts each of its cases)
  double seconds = 0;  // wall time inside them, including IPC to isolated workers
};

class TimedBackend final : public Backend {
 public:
  // `inner` must outlive this decorator. Asks `inner` its identity now, before any second
  // thread uses it (an isolated backend starts a worker to learn it), so that Name, Version and
  // Devices never wait for a running batch.
  explicit TimedBackend(Backend& inner);
  std::string Name() const override { return name_; }
  std::string Version() const override { return version_; }
  std::vector<Device> Devices() const override { return devices_; }
  BackendOutcome Run(const ConvCase& c) override;
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override;
  BackendOutcome RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) override;
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override;

  // Totals over every thread (the wait for the lock not included).
  BackendTime time() const;
  // Seconds the calling thread has spent in this backend's calls, waiting for the lock included.
  double ThisThreadSeconds() const;

 private:
  // Runs `call` under the lock and books `cases` cases and its time.
  template <typename Call>
  auto Timed(int64_t cases, Call call) -> decltype(call());

  Backend& inner_;
  const uint64_t id_;  // this decorator's key in each thread's time table
  const std::string name_, version_;
  const std::vector<Device> devices_;
  std::mutex call_mutex_;          // one call at a time
  mutable std::mutex time_mutex_;  // guards time_ only, so time() never waits for a long call
  BackendTime time_;
};

}  // namespace convcheck
