#include "oracles/case_reference.h"

#include "oracles/layer_ops.h"
#include "oracles/reference_batch_norm.h"
#include "oracles/reference_layer.h"
#include "oracles/reference_pool.h"

namespace convcheck {
namespace {

BatchNormParameters BatchNormOf(const CaseData& d) { return {d.weight, d.bias, d.running_mean, d.running_var}; }

}  // namespace

bool HasFloat64Reference(Op op) {
  return IsConvOp(op) || IsWindowPool(op) || IsAdaptivePool(op) || HasLayerReference(op) ||
         FamilyOf(op) == OpFamily::kBatchNorm;
}

bool HasWeightGradient(Op op) {
  return IsConvOp(op) || op == Op::kLinear || FamilyOf(op) == OpFamily::kBatchNorm;
}

RefResult ReferenceForward(const ConvCase& c, const CaseData& data) {
  if (IsConvOp(c.op)) return ReferenceConvCaseForward(c, data.input, data.weight, data.bias);
  if (FamilyOf(c.op) == OpFamily::kBatchNorm) return ReferenceBatchNormForward(c, data.input, BatchNormOf(data));
  if (HasLayerReference(c.op)) return ReferenceLayerForward(c, data.input, data.weight, data.bias);
  return ReferencePoolForward(c, data.input);
}

RefGradients ReferenceGradients(const ConvCase& c, const CaseData& data, const DoubleTensor& grad_out) {
  if (IsConvOp(c.op)) return ReferenceConvCaseGradients(c, data.input, data.weight, grad_out);
  if (FamilyOf(c.op) == OpFamily::kBatchNorm) {
    return ReferenceBatchNormGradients(c, data.input, BatchNormOf(data), grad_out);
  }
  if (HasLayerReference(c.op)) return ReferenceLayerGradients(c, data.input, data.weight, grad_out);
  return {ReferencePoolInputGrad(c, data.input, grad_out), {DoubleTensor{{0}, {}}, ""}};
}

}  // namespace convcheck
