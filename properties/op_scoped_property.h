// A decorator that offers a property only the cases of the ops its claim is about. The
// round-trip, convention, stack, solver, adjoint and device properties are claims about
// convolutions; values and gradients against the float64 reference also cover the pools
// (oracles/reference_pool.h), linear, flatten and the elementwise layers
// (oracles/reference_layer.h) and eval-mode batch_norm (oracles/reference_batch_norm.h). max_unpool and upsample are outside the float64-reference scope:
// no reference computes them yet (max_unpool's values follow the indices the backend builds,
// upsample's nearest source index is computed in float by LibTorch's nearest_idx), so their
// ValuesMatchReference / GradientIsTranspose are not applicable rather than passed. A case in
// ONNX terms (ConvCase::auto_pad) is outside every scope:
// the round trips, recipes, solver and float64 reference speak PyTorch's geometry. A case outside
// the scope is not applicable (nullopt, never a pass); ShapeAgrees and ValidityAgrees judge every
// op. Forwards every call of CaseProperty.
#pragma once

#include <memory>

#include "oracles/layer_ops.h"
#include "oracles/case_reference.h"
#include "properties/property.h"

namespace convcheck {

enum class OpScope { kConvolutions, kFloat64Reference };

// Whether `op` is in `scope`: convolutions, or every op ReferenceForward computes.
inline bool InScope(OpScope scope, Op op) {
  return scope == OpScope::kConvolutions ? IsConvOp(op) : HasFloat64Reference(op);
}

class OpScopedProperty final : public CaseProperty {
 public:
  OpScopedProperty(std::unique_ptr<CaseProperty> inner, OpScope scope) : inner_(std::move(inner)), scope_(scope) {}
  std::string Name() const override { return inner_->Name(); }
  bool Numeric() const override { return inner_->Numeric(); }
  std::optional<CaseResult> Check(const ConvCase& c, Backend& backend) override {
    if (!InScope(scope_, c.op) || IsOnnxGeometry(c)) return std::nullopt;
    return inner_->Check(c, backend);
  }

 private:
  std::unique_ptr<CaseProperty> inner_;
  OpScope scope_;
};

}  // namespace convcheck
