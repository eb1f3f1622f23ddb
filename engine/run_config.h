// Configuration of a conformance run: parsed once from the command line, passed by const ref.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "oracles/conv_case.h"

namespace convcheck {

struct RunConfig {
  uint64_t seed = 1;
  int64_t cases = 10000;   // case budget (ignored when seconds > 0)
  double seconds = 0;      // time budget; 0 = use `cases`
  std::vector<Op> ops = {Op::kConv1d,          Op::kConv2d,          Op::kConv3d,
                         Op::kConvTranspose1d, Op::kConvTranspose2d, Op::kConvTranspose3d,
                         // the other CNN layers: one case in ten (generators/case_stream.cpp)
                         Op::kMaxPool1d, Op::kMaxPool2d, Op::kMaxPool3d, Op::kAvgPool1d, Op::kAvgPool2d,
                         Op::kAvgPool3d, Op::kAdaptiveAvgPool1d, Op::kAdaptiveAvgPool2d,
                         Op::kAdaptiveAvgPool3d, Op::kAdaptiveMaxPool1d, Op::kAdaptiveMaxPool2d,
                         Op::kAdaptiveMaxPool3d, Op::kFlatten, Op::kLinear, Op::kRelu, Op::kBatchNorm2d,
                         // the decoder's up-samplers, drawn with them
                         Op::kMaxUnpool1d, Op::kMaxUnpool2d, Op::kMaxUnpool3d, Op::kUpsample1d,
                         Op::kUpsample2d, Op::kUpsample3d};
  std::vector<DType> dtypes = {DType::kFloat32, DType::kFloat64, DType::kBFloat16};
  Device device = Device::kCpu;
  bool extreme = false;                          // also draw ExtremeConvCase
  bool padding_modes = true;                     // draw reflect/replicate/circular
  bool onnx_geometry = false;                    // draw cases in ONNX terms (set from the backend's capabilities)
  uint64_t memory_limit_bytes = uint64_t{1} << 30;  // larger outputs may be refused
  std::string known_dir;                         // known deviations (corpus/known)
  bool shrink = true;                            // minimize each divergence
  int max_printed = 10;                          // reproducer blocks printed in full
  bool quiet = false;
  // Extra properties to run, as the user named them (--properties; properties/property_table.h):
  // empty = all of them (DevicesAgree only where the backend has a CUDA device), {"none"} = none.
  // ShapeAgrees/ValidityAgrees always run: they are how a case is judged at all. A property
  // named here that executes no check makes the run exit 3 (see allow_skipped).
  std::vector<std::string> properties;
  // Properties the backend cannot answer (its capabilities, cli/backend_loop.h): left out of a
  // default selection (an empty `properties`) and never counted as requested; named in
  // `properties` they run, and skip with their reason.
  std::vector<std::string> unanswerable;
  // Accept a run in which a requested property, the backend or the device executed no check.
  bool allow_skipped = false;
  double numeric_rate = 0.05;  // share of cases offered to numeric properties
  // Shard k of n takes the stream indices i with i % n == k among the first `cases`, so n
  // shards together cover exactly what one unsharded run covers.
  int shard_index = 0;
  int shard_count = 1;
  // Each new minimized divergence is saved here (corpus/regressions), one file per case and
  // property, never duplicated (engine/corpus.h); empty = not saved.
  std::string regressions_dir;
};

// The extra properties a run with `config` selects: SelectProperties of `properties`, less the
// backend's unanswerable ones when the selection is the default; empty (and `error` set) when a
// name is unknown.
std::vector<std::string> RunSelection(const RunConfig& config, std::string* error);

}  // namespace convcheck
