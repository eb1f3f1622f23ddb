// A Backend decorator that measures the wall time spent in the backend it wraps, so a run's
// report can say where its time went (issue #11): the engine wraps every backend it is given.
// Forwards every call of the interface (tests/backends/test_decorators_forward.cpp).
#pragma once

#include <cstdint>
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
  // `inner` must outlive this decorator.
  explicit TimedBackend(Backend& inner) : inner_(inner) {}
  std::string Name() const override { return inner_.Name(); }
  std::string Version() const override { return inner_.Version(); }
  std::vector<Device> Devices() const override { return inner_.Devices(); }
  BackendOutcome Run(const ConvCase& c) override;
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override;
  BackendOutcome RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) override;
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override;

  const BackendTime& time() const { return time_; }

 private:
  Backend& inner_;
  BackendTime time_;
};

}  // namespace convcheck
