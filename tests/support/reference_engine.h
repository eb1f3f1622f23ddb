// A NumericBackend without a framework: it answers the float64 reference (oracles/
// reference_conv.h), optionally with one planted fault (element `at` moved by `shift`), and
// refuses every dtype but float32, as OpenCV does. Two of them are an engine pair whose
// agreement, or planted disagreement, a test controls.
#pragma once

#include <string>

#include "backends/numeric_backend.h"
#include "oracles/case_reference.h"

namespace convcheck::testing {

class ReferenceEngine final : public NumericBackend {
 public:
  explicit ReferenceEngine(std::string name, double shift = 0, int64_t at = 0)
      : name_(std::move(name)), shift_(shift), at_(at) {}
  std::string Name() const override { return name_; }
  bool DeviceAvailable(Device device) const override { return device == Device::kCpu; }
  NumericOutcome Forward(const ConvCase& c, const CaseData& data) override {
    if (c.dtype != DType::kFloat32) return NumericOutcome::Skipped(name_ + " cannot express dtype " + DTypeName(c.dtype));
    RefResult r = ReferenceForward(c, data);
    if (!r.ok()) return NumericOutcome::Rejected(r.error);
    NumericOutcome out;
    out.output = *r.value;
    if (!out.output.data.empty()) out.output.data[static_cast<size_t>(at_) % out.output.data.size()] += shift_;
    return out;
  }
  NumericOutcome Gradients(const ConvCase&, const CaseData&, const DoubleTensor&) override {
    return NumericOutcome::Skipped(name_ + ": no gradients");
  }

 private:
  std::string name_;
  double shift_;
  int64_t at_;
};

}  // namespace convcheck::testing
