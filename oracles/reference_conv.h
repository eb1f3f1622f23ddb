// The float64 reference convolution: direct loops, written for clarity, fast enough for the
// small cases numeric properties draw. It is the numeric oracle that backends are judged
// against, so it shares no code with any framework. Standard library only; never throws.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "oracles/conv_case.h"
#include "oracles/output_shape.h"

namespace convcheck {

// A dense row-major float64 tensor. `data.size()` equals the product of `shape`.
struct DoubleTensor {
  Dims shape;
  std::vector<double> data;
};

// A zero-filled tensor of `shape` (negative sizes count as 0).
DoubleTensor ZerosTensor(const Dims& shape);
// Product of the sizes (0 when any is <= 0; 1 for a scalar shape).
int64_t NumElements(const Dims& shape);

// Everything a convolution needs besides the tensors. `pads` are explicit per-dim (left, right)
// pairs so that TF/ONNX-style asymmetric padding is expressible; `output_padding` is used by
// the transposed direction only and adds elements at the right end of each dim.
struct ConvParams {
  Dims stride;
  Dims dilation;
  std::vector<PadPair> pads;
  Dims output_padding;
  int64_t groups = 1;
  PaddingMode padding_mode = PaddingMode::kZeros;
};

// The parameters a (valid) case implies: "same"/"valid" resolved to explicit pads.
ConvParams ParamsOf(const ConvCase& c);

// A reference result, or why the tensors do not fit the parameters (a caller error: the shape
// oracle decides validity, the reference only refuses what it cannot compute).
struct RefResult {
  std::optional<DoubleTensor> value;
  std::string error;
  bool ok() const { return value.has_value(); }
};

// conv: x [N, C_in, *s], w [C_out, C_in/groups, *k], bias [C_out] or nullptr -> [N, C_out, *o]
// with o = floor((s + l + r - d(k-1) - 1)/stride) + 1. The padding mode fills the pads.
// Example: x [1,1,3] = {1,2,3}, w [1,1,2] = {1,10}, no pads -> {21, 32}.
RefResult ReferenceConv(const DoubleTensor& x, const DoubleTensor& w, const DoubleTensor* bias,
                        const ConvParams& p);

// Transposed conv (the adjoint of ReferenceConv with zero padding): x [N, C_in, *s],
// w [C_in, C_out/groups, *k], bias [C_out] or nullptr -> [N, C_out, *o] with
// o = (s-1)stride - l - r + d(k-1) + output_padding + 1. Only padding_mode zeros is defined.
RefResult ReferenceConvTranspose(const DoubleTensor& x, const DoubleTensor& w,
                                 const DoubleTensor* bias, const ConvParams& p);

// Gradients of <op(x, w) + bias, grad_out> for a case's op: with respect to the input
// (shape `input_shape`) and to the weight (shape of `w`). For a convolution the input gradient
// is the transposed convolution of grad_out, folded back through the padding mode.
RefResult ReferenceInputGrad(const ConvParams& p, bool transposed, const DoubleTensor& grad_out,
                             const DoubleTensor& w, const Dims& input_shape);
RefResult ReferenceWeightGrad(const ConvParams& p, bool transposed, const DoubleTensor& x,
                              const DoubleTensor& grad_out, const Dims& weight_shape);

// Pads the spatial dims of x [N, C, *s] by `pads` with the mode's values (zeros, reflect
// without repeating the edge, replicate the edge, circular wrap), as torch.nn.functional.pad.
DoubleTensor PadSpatial(const DoubleTensor& x, const std::vector<PadPair>& pads, PaddingMode mode);
// The adjoint of PadSpatial: sums each padded element back onto the element it copied.
DoubleTensor PadSpatialAdjoint(const DoubleTensor& padded, const Dims& unpadded_shape,
                               const std::vector<PadPair>& pads, PaddingMode mode);

// The case-level entry points (ReferenceForward, ReferenceGradients, HasFloat64Reference) are
// in oracles/case_reference.h: they take a case's CaseData, which batch_norm's running
// statistics need.

// The reference's own gradients of a convolution case, unbatched inputs included.
struct RefGradients {
  RefResult input;
  RefResult weight;
};
RefResult ReferenceConvCaseForward(const ConvCase& c, const DoubleTensor& x, const DoubleTensor& w,
                                   const DoubleTensor& bias);
RefGradients ReferenceConvCaseGradients(const ConvCase& c, const DoubleTensor& x, const DoubleTensor& w,
                                        const DoubleTensor& grad_out);

// <a, b> in float64 (shapes are not checked, only the element count).
double InnerProduct(const DoubleTensor& a, const DoubleTensor& b);

}  // namespace convcheck
