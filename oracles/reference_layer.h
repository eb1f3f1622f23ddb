// The float64 reference of the dense, reshaping and elementwise layers of a CNN — linear,
// flatten, relu, tanh, sigmoid and dropout in eval mode — and of their gradients (the
// vector-Jacobian products). Direct loops; shares no code with any framework; standard library
// only; never throws.
//
// The rules, with the source read (pytorch/pytorch; the same in LibTorch 1.13.1):
// - linear (aten/src/ATen/native/Linear.cpp `linear`, torch/nn/functional.py F.linear): addmm(b,
//   x, wᵀ) for a 2-d input with bias, else matmul(x, wᵀ) then + b: y[..., o] = Σ_i x[..., i]
//   w[o, i] + b[o] over the last dim, every leading dim kept; a 1-d input is one row (matmul of a
//   vector and a matrix). w is [out_features, in_features], b [out_features].
//   Gradients (derivatives.yaml through mm/addmm): dx = g·w, dw = gᵀ·x over all leading rows.
// - flatten (TensorShape.cpp `flatten`): a reshape of the contiguous row-major values — the
//   values and their order are unchanged, only the shape (the shape oracle's) changes; its
//   gradient is the upstream gradient reshaped back to the input's shape.
// - relu, tanh, sigmoid (derivatives.yaml: threshold_backward(grad, result, 0),
//   tanh_backward(grad, result) = grad (1 − y²), sigmoid_backward(grad, result) = grad y (1 − y)):
//   elementwise; relu passes the gradient where the output is positive.
// - dropout as the case model runs it (the shape backend calls at::dropout(x, p, train=false);
//   Dropout.cpp returns the input unchanged when !train): the identity, forward and backward.
// batch_norm has its own reference (oracles/reference_batch_norm.h): it reads four parameter
// tensors.
#pragma once

#include "oracles/conv_case.h"
#include "oracles/reference_conv.h"

namespace convcheck {

// Whether ReferenceLayerForward computes `op`: linear, flatten, relu, tanh, sigmoid, dropout.
bool HasLayerReference(Op op);

// in_features of a linear case: `in_features`, else the input's last dim (0 for a 0-d input).
int64_t LinearInFeatures(const ConvCase& c);
// The weight of a linear case, [out_features, in_features]; empty for every other op.
Dims LinearWeightShape(const ConvCase& c);

// The output of layer case `c` on input `x` (c.input's shape); `w` and `bias` are read by
// linear alone (bias only when c.bias). Error: an op without a layer reference, a case the
// shape oracle rejects, or tensors of other shapes. Example: linear, input [2] = {1, 2},
// out_features 1, w {{3, 4}}, bias {5} -> {16}.
RefResult ReferenceLayerForward(const ConvCase& c, const DoubleTensor& x, const DoubleTensor& w,
                                const DoubleTensor& bias);

// The gradients of <layer(x), grad_out>: with respect to x (c.input's shape) and, for linear,
// to w ([out_features, in_features]; an empty tensor for the other ops). The bias gradient
// (Σ grad_out over the leading dims) is not computed: no backend reports one. Errors as
// ReferenceLayerForward, or grad_out not of the output shape.
RefGradients ReferenceLayerGradients(const ConvCase& c, const DoubleTensor& x, const DoubleTensor& w,
                                     const DoubleTensor& grad_out);

}  // namespace convcheck
