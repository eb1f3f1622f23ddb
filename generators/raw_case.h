// Independent raw draws behind the case generators, and the derivation that turns them into a
// valid case. Internal to generators/: every raw field shrinks on its own, and DeriveValidCase
// maps any raw value to a case the oracle accepts (the constraints are met by construction).
#pragma once

#include <array>
#include <cstdint>

#include <rapidcheck.h>

#include "generators/conv_case_gen.h"

namespace convcheck {

struct RawDim {
  int64_t kernel = 1;    // 1..5
  int64_t stride = 1;    // 1..3
  int64_t dilation = 1;  // 1..3
  int64_t padding = 0;   // 0..2, clamped so the case stays valid
  int64_t slack = 0;     // input size above its minimum (0..8; a third of it for 3d)
  int64_t out_pad = 0;   // reduced modulo max(stride, dilation)
};

// Which edge a raw case is pushed to (EdgeConvCase); kNone for ordinary cases.
enum class EdgeKind { kNone, kTightKernel, kSizeOne, kOutputPaddingBound, kDepthwise, kDilated };

struct RawCase {
  int op_index = 0;
  int dtype_index = 0;
  int64_t batch = 1;  // 1..2
  bool unbatched = false;
  int64_t groups = 1;
  int64_t in_per_group = 1;
  int64_t out_per_group = 1;
  int padding_kind = 0;  // 0 explicit, 1 same, 2 valid (convolutions only)
  int mode_index = 0;    // 0 zeros, 1 reflect, 2 replicate, 3 circular
  bool bias = true;
  bool channels_last = false;
  EdgeKind edge = EdgeKind::kNone;
  std::array<RawDim, 3> dims{};
};

rc::Gen<RawCase> RawCaseGen(const GenOptions& opts, bool edge);
ConvCase DeriveValidCase(const RawCase& raw, const GenOptions& opts);

}  // namespace convcheck
