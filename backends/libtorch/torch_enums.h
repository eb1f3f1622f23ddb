// convcheck enums as LibTorch values. Included only by the two LibTorch translation units
// (libtorch_backend.cpp, libtorch_numeric.cpp); everything else stays torch-free.
#pragma once

#include <torch/torch.h>

#include "oracles/conv_case.h"

namespace convcheck {

inline at::ScalarType ToScalarType(DType t) {
  switch (t) {
    case DType::kFloat32: return at::kFloat;
    case DType::kFloat64: return at::kDouble;
    case DType::kBFloat16: return at::kBFloat16;
    case DType::kFloat16: return at::kHalf;
  }
  return at::kFloat;
}

// F.pad's mode for a non-zero padding_mode (zeros never reaches F.pad).
inline torch::nn::functional::PadFuncOptions::mode_t ToPadMode(PaddingMode m) {
  switch (m) {
    case PaddingMode::kReflect: return torch::kReflect;
    case PaddingMode::kReplicate: return torch::kReplicate;
    case PaddingMode::kCircular: return torch::kCircular;
    case PaddingMode::kZeros: break;
  }
  return torch::kConstant;
}

}  // namespace convcheck
