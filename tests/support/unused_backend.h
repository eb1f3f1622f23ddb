// A Backend for properties that never call it (the numeric ones take their numbers from a
// NumericBackend): every call answers a skip that says so, which a test would notice.
#pragma once

#include "backends/backend.h"

namespace convcheck::testing {

class UnusedBackend final : public Backend {
 public:
  std::string Name() const override { return "none"; }
  std::string Version() const override { return "0"; }
  std::vector<Device> Devices() const override { return {Device::kCpu}; }
  BackendOutcome Run(const ConvCase&) override { return BackendOutcome::Skipped("unused backend called"); }
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override {
    return RunEach(*this, cases);
  }
  BackendOutcome RunPadded(const ConvCase&, const std::vector<PadPair>&) override {
    return BackendOutcome::Skipped("unused backend called");
  }
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override { return RunPaddedEach(*this, calls); }
};

}  // namespace convcheck::testing
