// The analytic oracle: what shape a convolution case must produce, or which rule it breaks.
// Rules follow PyTorch (aten/src/ATen/native/Convolution.cpp check_shape_forward,
// torch/nn/modules/conv.py, torch/nn/functional.py pad); see docs/rules.md.
#pragma once

#include <variant>

#include "oracles/conv_case.h"
#include "oracles/rule.h"

namespace convcheck {

// Either the output shape or the first rule the case breaks. Never throws.
class ShapeResult {
 public:
  static ShapeResult Ok(Dims shape) { return ShapeResult(std::move(shape)); }
  static ShapeResult Invalid(RuleViolation v) { return ShapeResult(std::move(v)); }
  bool ok() const { return std::holds_alternative<Dims>(value_); }
  const Dims& shape() const { return std::get<Dims>(value_); }
  const RuleViolation& violation() const { return std::get<RuleViolation>(value_); }

 private:
  explicit ShapeResult(Dims d) : value_(std::move(d)) {}
  explicit ShapeResult(RuleViolation v) : value_(std::move(v)) {}
  std::variant<Dims, RuleViolation> value_;
};

// The output shape of `c` ([N, C_out, *] or [C_out, *] for unbatched input), or the first rule
// it breaks, checked in PyTorch's order. Sizes are computed exactly in 128-bit arithmetic: a size
// beyond int64 is reported as Rule::kOverflow, never wrapped.
// Example: conv2d, input [1,128,24,24], out 256, k3 s2 p1 -> [1,256,12,12].
ShapeResult OutputShape(const ConvCase& c);

// The explicit per-dim (left, right) padding the case applies before a zero-padded conv:
// "same" gives total d(k-1), left = total/2, extra on the right; "valid" gives 0.
struct PadPair {
  int64_t left = 0;
  int64_t right = 0;
};
std::vector<PadPair> EffectivePadding(const ConvCase& c);

// Spatial output size of one dim of a convolution with asymmetric pads; exact (128-bit).
// conv: floor((x + l + r - d(k-1) - 1)/s) + 1.  Caller guarantees s > 0.
__int128 ConvOutputSize(int64_t x, int64_t pad_left, int64_t pad_right, int64_t k, int64_t s,
                        int64_t d);
// Transposed conv: (x-1)s - 2p + d(k-1) + op + 1.
__int128 ConvTransposeOutputSize(int64_t x, int64_t k, int64_t s, int64_t p, int64_t d,
                                 int64_t op);

}  // namespace convcheck
