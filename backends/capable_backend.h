// A Backend decorator that answers, for each case outside the wrapped backend's declared
// capabilities, Skipped with the reason (backends/capabilities.h), and forwards every other
// case and every call of the interface (tests/backends/test_decorators_forward.cpp).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "backends/capabilities.h"

namespace convcheck {

class CapableBackend final : public Backend {
 public:
  CapableBackend(std::unique_ptr<Backend> inner, BackendCapabilities caps)
      : inner_(std::move(inner)), caps_(std::move(caps)) {}
  std::string Name() const override { return inner_->Name(); }
  std::string Version() const override { return inner_->Version(); }
  std::vector<Device> Devices() const override { return inner_->Devices(); }
  BackendOutcome Run(const ConvCase& c) override;
  // Sends the expressible cases to the inner backend as one batch, in order.
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override;
  BackendOutcome RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) override;
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override;

  const BackendCapabilities& capabilities() const { return caps_; }

 private:
  std::unique_ptr<Backend> inner_;
  BackendCapabilities caps_;
};

}  // namespace convcheck
