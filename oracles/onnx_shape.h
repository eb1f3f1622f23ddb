// The oracle for cases in ONNX terms (ConvCase::auto_pad set): ONNX Conv and ConvTranspose
// geometry as the opset-11 operator text defines it (onnx/defs/nn/defs.cc at the opset-11
// schema; the geometry is unchanged through opset 22) and as ONNX's node tests check it
// (onnx/backend/test/case/node/conv.py, convtranspose.py). See docs/rules.md, "ONNX geometry".
#pragma once

#include <string>
#include <vector>

#include "oracles/output_shape.h"

namespace convcheck {

// One dim's (begin, end) pads, exact.
struct OnnxPads {
  __int128 begin = 0;
  __int128 end = 0;
};

// The pads a Conv applies in one dim: NOTSET the given (begin, end); VALID none; SAME_UPPER /
// SAME_LOWER total = max((ceil(x/s) − 1)·s + d(k−1) + 1 − x, 0) so that out = ceil(x/s), half
// each side with the odd element at the end (SAME_UPPER) or the beginning (SAME_LOWER).
// Caller guarantees s > 0. Example: x 5, k 3, s 2, SAME_LOWER → (1, 1); x 4, k 3, s 2 → (1, 0).
OnnxPads OnnxConvPads(AutoPad mode, int64_t x, int64_t k, int64_t s, int64_t d, int64_t begin, int64_t end);

// A ConvTranspose's output size in one dim: `output_shape` when given; SAME_UPPER / SAME_LOWER
// x·s; VALID (x−1)·s + op + d(k−1) + 1; NOTSET that minus the begin and end pads. Exact.
__int128 OnnxConvTransposeOutputSize(AutoPad mode, int64_t x, int64_t k, int64_t s, int64_t d, int64_t op,
                                     int64_t begin, int64_t end, const int64_t* output_shape);

// The output shape of an ONNX-geometry case, or the first ONNX rule it breaks: [N, C, *]
// input only (input_rank), groups and the weight as in output_shape.h, pads with auto_pad other
// than NOTSET (pads_with_auto_pad), non-negative begin and end pads, then per dim the kernel
// extent against the padded input (conv) or output_padding < stride or dilation and a positive
// output (convT); sizes beyond int64 are `overflow`. Never throws.
ShapeResult OnnxOutputShape(const ConvCase& c);

// `convcheck shape`'s lines for an ONNX-geometry case: the op, the formula of its auto_pad, per
// dim the pads and the size with the numbers substituted, then the output or the rule broken.
std::vector<std::string> ExplainOnnxShape(const ConvCase& c);

}  // namespace convcheck
