// The float64 reference of a whole case: one entry point that dispatches on the op to the
// convolution (reference_conv.h), pool (reference_pool.h), layer (reference_layer.h) and
// batch_norm (reference_batch_norm.h) references, given the case's CaseData
// (tensor_values.h). The numeric properties compare backends with this. Standard library only.
#pragma once

#include "oracles/conv_case.h"
#include "oracles/reference_conv.h"
#include "oracles/tensor_values.h"

namespace convcheck {

// Whether ReferenceForward computes `op`: the convolutions, the max, avg and adaptive pools,
// linear, flatten, relu, tanh, sigmoid, dropout and batch_norm (eval mode). Not max_unpool or
// upsample.
bool HasFloat64Reference(Op op);

// The output of case `c` on `data` (MakeCaseData's tensors, or others of the same shapes). The
// input may be unbatched ([C, *s]); the result then is too. Which tensors an op reads: a
// convolution the weight and (when c.bias) the bias; linear the same; batch_norm the weight,
// bias and running statistics; the others the input alone.
// Error: an op without a reference (HasFloat64Reference), an invalid case, tensors of other shapes.
RefResult ReferenceForward(const ConvCase& c, const CaseData& data);

// The input and weight gradients of <op(data), grad_out>; the weight gradient is an empty
// tensor for an op without a weight (pools, flatten, the elementwise layers).
RefGradients ReferenceGradients(const ConvCase& c, const CaseData& data, const DoubleTensor& grad_out);

// Whether an op has a weight whose gradient ReferenceGradients computes and a backend reports:
// the convolutions, linear and batch_norm.
bool HasWeightGradient(Op op);

}  // namespace convcheck
