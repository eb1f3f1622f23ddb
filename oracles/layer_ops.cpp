#include "oracles/layer_ops.h"

namespace convcheck {

OpFamily FamilyOf(Op op) {
  switch (op) {
    case Op::kConv1d: case Op::kConv2d: case Op::kConv3d:
    case Op::kConvTranspose1d: case Op::kConvTranspose2d: case Op::kConvTranspose3d:
      return OpFamily::kConv;
    case Op::kMaxPool1d: case Op::kMaxPool2d: case Op::kMaxPool3d: return OpFamily::kMaxPool;
    case Op::kAvgPool1d: case Op::kAvgPool2d: case Op::kAvgPool3d: return OpFamily::kAvgPool;
    case Op::kAdaptiveAvgPool1d: case Op::kAdaptiveAvgPool2d: case Op::kAdaptiveAvgPool3d:
      return OpFamily::kAdaptiveAvgPool;
    case Op::kAdaptiveMaxPool1d: case Op::kAdaptiveMaxPool2d: case Op::kAdaptiveMaxPool3d:
      return OpFamily::kAdaptiveMaxPool;
    case Op::kFlatten: return OpFamily::kFlatten;
    case Op::kLinear: return OpFamily::kLinear;
    case Op::kRelu: case Op::kTanh: case Op::kSigmoid: case Op::kDropout:
      return OpFamily::kElementwise;
    case Op::kBatchNorm1d: case Op::kBatchNorm2d: case Op::kBatchNorm3d: return OpFamily::kBatchNorm;
    case Op::kMaxUnpool1d: case Op::kMaxUnpool2d: case Op::kMaxUnpool3d: return OpFamily::kMaxUnpool;
    case Op::kUpsample1d: case Op::kUpsample2d: case Op::kUpsample3d: return OpFamily::kUpsample;
  }
  return OpFamily::kConv;
}

bool IsConvOp(Op op) { return FamilyOf(op) == OpFamily::kConv; }

bool IsWindowPool(Op op) {
  const OpFamily f = FamilyOf(op);
  return f == OpFamily::kMaxPool || f == OpFamily::kAvgPool;
}

bool IsAdaptivePool(Op op) {
  const OpFamily f = FamilyOf(op);
  return f == OpFamily::kAdaptiveAvgPool || f == OpFamily::kAdaptiveMaxPool;
}

bool IsUpsampler(Op op) {
  const OpFamily f = FamilyOf(op);
  return f == OpFamily::kMaxUnpool || f == OpFamily::kUpsample;
}

bool HasSpatialDims(Op op) { return IsConvOp(op) || IsWindowPool(op) || IsAdaptivePool(op) || IsUpsampler(op); }

int LayerSpatialRank(Op op) {
  switch (op) {
    case Op::kMaxPool1d: case Op::kAvgPool1d: case Op::kAdaptiveAvgPool1d:
    case Op::kAdaptiveMaxPool1d: case Op::kBatchNorm1d: case Op::kMaxUnpool1d: case Op::kUpsample1d:
      return 1;
    case Op::kMaxPool2d: case Op::kAvgPool2d: case Op::kAdaptiveAvgPool2d:
    case Op::kAdaptiveMaxPool2d: case Op::kBatchNorm2d: case Op::kMaxUnpool2d: case Op::kUpsample2d:
      return 2;
    case Op::kMaxPool3d: case Op::kAvgPool3d: case Op::kAdaptiveAvgPool3d:
    case Op::kAdaptiveMaxPool3d: case Op::kBatchNorm3d: case Op::kMaxUnpool3d: case Op::kUpsample3d:
      return 3;
    default:
      return 0;
  }
}

Op MakeLayerOp(OpFamily family, int rank) {
  static constexpr Op kMax[] = {Op::kMaxPool1d, Op::kMaxPool2d, Op::kMaxPool3d};
  static constexpr Op kAvg[] = {Op::kAvgPool1d, Op::kAvgPool2d, Op::kAvgPool3d};
  static constexpr Op kAAvg[] = {Op::kAdaptiveAvgPool1d, Op::kAdaptiveAvgPool2d, Op::kAdaptiveAvgPool3d};
  static constexpr Op kAMax[] = {Op::kAdaptiveMaxPool1d, Op::kAdaptiveMaxPool2d, Op::kAdaptiveMaxPool3d};
  static constexpr Op kBn[] = {Op::kBatchNorm1d, Op::kBatchNorm2d, Op::kBatchNorm3d};
  static constexpr Op kUnpool[] = {Op::kMaxUnpool1d, Op::kMaxUnpool2d, Op::kMaxUnpool3d};
  static constexpr Op kUp[] = {Op::kUpsample1d, Op::kUpsample2d, Op::kUpsample3d};
  const size_t i = static_cast<size_t>(rank < 1 ? 0 : rank > 3 ? 2 : rank - 1);
  switch (family) {
    case OpFamily::kMaxPool: return kMax[i];
    case OpFamily::kAvgPool: return kAvg[i];
    case OpFamily::kAdaptiveAvgPool: return kAAvg[i];
    case OpFamily::kAdaptiveMaxPool: return kAMax[i];
    case OpFamily::kBatchNorm: return kBn[i];
    case OpFamily::kMaxUnpool: return kUnpool[i];
    case OpFamily::kUpsample: return kUp[i];
    default: return MakeOp(false, static_cast<int>(i) + 1);
  }
}

const std::vector<Op>& PoolOps() {
  static const std::vector<Op> ops = {
      Op::kMaxPool1d, Op::kMaxPool2d, Op::kMaxPool3d, Op::kAvgPool1d, Op::kAvgPool2d,
      Op::kAvgPool3d, Op::kAdaptiveAvgPool1d, Op::kAdaptiveAvgPool2d, Op::kAdaptiveAvgPool3d,
      Op::kAdaptiveMaxPool1d, Op::kAdaptiveMaxPool2d, Op::kAdaptiveMaxPool3d};
  return ops;
}

const std::vector<Op>& UpsamplerOps() {
  static const std::vector<Op> ops = {Op::kMaxUnpool1d, Op::kMaxUnpool2d, Op::kMaxUnpool3d,
                                      Op::kUpsample1d,  Op::kUpsample2d,  Op::kUpsample3d};
  return ops;
}

Dims PoolStride(const ConvCase& c) { return c.stride.empty() ? c.kernel : c.stride; }

}  // namespace convcheck
