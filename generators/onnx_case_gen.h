// Generators of cases in ONNX terms (ConvCase::auto_pad set: auto_pad, asymmetric pads,
// ConvTranspose output_shape), which PyTorch cannot express. A run draws them only when its
// backend declares onnx_geometry (GenOptions::onnx_geometry), so a LibTorch run never turns
// them into skips. Each starts from a valid PyTorch-geometry draw (generators/raw_case.h) and
// re-derives the spatial sizes, so valid cases stay valid by construction and shrink per field.
#pragma once

#include <rapidcheck.h>

#include "generators/conv_case_gen.h"

namespace convcheck {

// An ONNX-geometry case the ONNX oracle accepts (oracles/onnx_shape.h): batched, zeros padding,
// auto_pad NOTSET with asymmetric pads, SAME_UPPER, SAME_LOWER or VALID, and for ConvTranspose
// sometimes an output_shape near the size the pads give.
rc::Gen<ConvCase> ValidOnnxCase(const GenOptions& opts);
// The same at an edge: the kernel extent equal to the padded input, inputs not divisible by the
// stride under SAME, output_padding at its bound, output_shape one stride past the full result.
rc::Gen<ConvCase> EdgeOnnxCase(const GenOptions& opts);
// An ONNX-geometry case that breaks exactly one rule (pads with auto_pad, a negative end pad,
// kernel beyond the asymmetrically padded input, an empty ConvTranspose output), and that rule.
rc::Gen<InvalidCase> InvalidOnnxCase(const GenOptions& opts);
// Mostly valid, then edge, then invalid ONNX-geometry cases.
rc::Gen<ConvCase> MixedOnnxCase(const GenOptions& opts);

}  // namespace convcheck
