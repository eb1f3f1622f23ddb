// A NumericBackend made of the float64 reference itself (oracles/reference_conv.h: every op
// HasFloat64Reference takes, values and gradients): correct by definition, so a test can plant
// a fault on top of it and show that a numeric property catches it without a framework.
#pragma once

#include <string>

#include "backends/numeric_backend.h"
#include "oracles/case_reference.h"

namespace convcheck::testing {

class ReferenceNumeric final : public NumericBackend {
 public:
  std::string Name() const override { return "float64 reference"; }
  bool DeviceAvailable(Device d) const override { return d == Device::kCpu; }
  NumericOutcome Forward(const ConvCase& c, const CaseData& data) override {
    const RefResult y = ReferenceForward(c, data);
    if (!y.ok()) return NumericOutcome::Rejected(y.error);
    NumericOutcome o;
    o.output = *y.value;
    return o;
  }
  NumericOutcome Gradients(const ConvCase& c, const CaseData& data, const DoubleTensor& grad_output) override {
    NumericOutcome o = Forward(c, data);
    if (o.kind != NumericOutcome::Kind::kValues) return o;
    const RefGradients g = ReferenceGradients(c, data, grad_output);
    if (!g.input.ok()) return NumericOutcome::Rejected(g.input.error);
    if (!g.weight.ok()) return NumericOutcome::Rejected(g.weight.error);
    o.input_grad = *g.input.value;
    o.weight_grad = *g.weight.value;
    return o;
  }
};

}  // namespace convcheck::testing
