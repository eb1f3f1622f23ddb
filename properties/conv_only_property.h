// A decorator that offers a property only the convolution cases: the round-trip, convention,
// stack, solver and numeric properties are claims about convolutions, and a pooling, flatten or
// linear case is outside them (not applicable: nullopt, never a pass). Those ops are judged by
// ShapeAgrees and ValidityAgrees. So is a case in ONNX terms (ConvCase::auto_pad): the round
// trips, recipes, solver and float64 reference speak PyTorch's geometry. Forwards every call of
// CaseProperty.
#pragma once

#include <memory>

#include "oracles/layer_ops.h"
#include "properties/property.h"

namespace convcheck {

class ConvOnlyProperty final : public CaseProperty {
 public:
  explicit ConvOnlyProperty(std::unique_ptr<CaseProperty> inner) : inner_(std::move(inner)) {}
  std::string Name() const override { return inner_->Name(); }
  bool Numeric() const override { return inner_->Numeric(); }
  std::optional<CaseResult> Check(const ConvCase& c, Backend& backend) override {
    if (!IsConvOp(c.op) || IsOnnxGeometry(c)) return std::nullopt;
    return inner_->Check(c, backend);
  }

 private:
  std::unique_ptr<CaseProperty> inner_;
};

}  // namespace convcheck
