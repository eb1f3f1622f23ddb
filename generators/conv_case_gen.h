// RapidCheck generators of convolution cases. Valid cases are valid by construction: every
// field is drawn independently and the constraints are met by deriving dependent sizes from
// independent "slack" values, so each field shrinks on its own and shrinking never leaves the
// valid set. Bodies live in conv_case_gen.cpp.
#pragma once

#include <vector>

#include <rapidcheck.h>

#include "oracles/conv_case.h"
#include "oracles/rule.h"

namespace convcheck {

// What a generator may draw. Defaults: all six ops, float32, CPU.
struct GenOptions {
  std::vector<Op> ops = {Op::kConv1d,          Op::kConv2d,          Op::kConv3d,
                         Op::kConvTranspose1d, Op::kConvTranspose2d, Op::kConvTranspose3d};
  std::vector<DType> dtypes = {DType::kFloat32};
  Device device = Device::kCpu;
  bool padding_modes = true;  // draw reflect/replicate/circular for convolutions
  bool layouts = false;       // draw channels_last for 2d/3d inputs
  // EdgeConvCase mixes in WorkedExamples(). The case stream lists them up front instead (each
  // once per dtype): drawn at random, the same few 128- and 256-channel convolutions came back
  // five times per dtype and carried ~40% of a default run's backend time.
  bool worked_examples = true;
  // Also draw cases in ONNX terms (generators/onnx_case_gen.h): only for a backend that declares
  // onnx_geometry, so the default LibTorch stream stays exactly what it was.
  bool onnx_geometry = false;
};

// A case the oracle accepts: small (batch 1-2 or unbatched, channels <= 12, kernel <= 5 (3 for
// 3d), stride <= 3, padding <= 2, dilation <= 3, spatial sizes a few above the minimum the
// kernel needs) so it costs microseconds.
rc::Gen<ConvCase> ValidConvCase(const GenOptions& opts = {});

// A valid case at an edge: size-1 inputs, kernel extent equal to the padded input,
// output_padding at its bound, groups == channels, dilation > 1, zero batch, or (unless
// opts.worked_examples is off) one of the documentation's worked examples.
rc::Gen<ConvCase> EdgeConvCase(const GenOptions& opts = {});

// A case that breaks exactly one rule, and that rule.
struct InvalidCase {
  ConvCase c;
  Rule broken;
};
rc::Gen<InvalidCase> InvalidConvCase(const GenOptions& opts = {});

// Parameters at the integer boundaries frameworks get wrong (near 2^31, 2^32, 2^62, 2^63-1 for
// padding, stride, dilation, groups, output_padding) with small inputs, plus zero-sized batch,
// channel and spatial dims. Their predicted output may not fit in memory; the right outcome is
// then a rejection or an allocation failure.
rc::Gen<ConvCase> ExtremeConvCase(const GenOptions& opts = {});

// The mix the default conformance run draws: mostly valid, then edge, then invalid cases; with
// opts.onnx_geometry, two cases in five are in ONNX terms (MixedOnnxCase).
rc::Gen<ConvCase> MixedConvCase(const GenOptions& opts = {});

// The documentation's worked examples (README, issue #2), as cases.
std::vector<ConvCase> WorkedExamples();

// WorkedExamples() with an op in opts.ops, once per dtype of opts.dtypes, on opts.device.
std::vector<ConvCase> WorkedExampleCases(const GenOptions& opts);

// Each of `cases` whose op is in opts.ops, once per dtype of opts.dtypes, on opts.device.
std::vector<ConvCase> ForEachDType(const std::vector<ConvCase>& cases, const GenOptions& opts);

}  // namespace convcheck
