// Other frameworks' pooling conventions as exact PyTorch recipes: tf.nn.max_pool/avg_pool and
// Keras MaxPooling/AveragePooling (SAME/VALID), ONNX MaxPool/AveragePool (auto_pad, pads,
// ceil_mode, count_include_pad, MaxPool dilations). Per spatial dim; never throws. The
// convolution conventions are oracles/conventions.h; this file reuses their Convention names.
//
// When a single PyTorch pool is exact: its windows must start where the other framework's do
// (torch padding p = the pad before, which PyTorch caps at kernel/2), it must make at least as
// many windows (extra trailing ones are cropped), and its divisor must be the other framework's.
// Otherwise the recipe pads explicitly first (F.pad with −inf for a max; zeros for an average,
// dividing by the count of real elements via a pooled mask when pads must not count).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "oracles/conventions.h"

namespace convcheck {

enum class PoolKind { kMax, kAvg };

// What the other framework's pooling op says besides the per-dim sizes.
struct ForeignPool {
  PoolKind kind = PoolKind::kMax;
  bool ceil_mode = false;          // ONNX only (TF/Keras always floor)
  bool count_include_pad = false;  // ONNX AveragePool (default 0); TF/Keras never count pads
};

// How the recipe is built.
enum class PoolRecipeStyle {
  kDirect,         // one PyTorch pool (padding, ceil_mode, count_include_pad)
  kPrePad,         // F.pad (−inf for max, 0 for an average whose pads count) then the pool
  kMaskedAverage,  // F.pad zeros; avg_pool(x) / avg_pool(ones): sum over real elements / their count
};
const char* PoolRecipeStyleName(PoolRecipeStyle s);

// One spatial dim of the recipe.
struct PoolDimRecipe {
  int64_t expected = 0;      // the other framework's output size
  PadPair pads;              // its pads (begin, end): given, or derived from SAME
  PadPair pre_pad;           // F.pad before the pool
  int64_t padding = 0;       // the torch pool's symmetric padding
  int64_t torch_output = 0;  // what the torch pool gives (>= expected)
  int64_t crop_end = 0;      // trailing outputs to drop: torch_output − expected
  std::optional<int64_t> legacy_ceil_output;  // ONNX < 1.16 shape inference, where it differs
  std::string formula;       // where `expected` comes from, numbers substituted
};

struct PoolConversion {
  std::vector<PoolDimRecipe> dims;
  PoolRecipeStyle style = PoolRecipeStyle::kDirect;
  bool ceil_mode = false;          // the torch pool's
  bool count_include_pad = true;   // the torch avg pool's
  std::string exactness;           // why the recipe gives the other framework's values
  std::string error;               // the other framework rejects the case, or no recipe exists
  std::vector<std::string> notes;
  bool ok() const { return error.empty(); }
};

// Converts a pool in `convention` (tf/keras SAME|VALID, onnx NOTSET|SAME_UPPER|SAME_LOWER|VALID;
// ForeignDim's pad_begin/pad_end are ONNX NOTSET's pads, output_padding/output_shape unused).
// TF/Keras never count pads (their count_include_pad is ignored). Errors: a size < 1, TF/Keras
// with dilation > 1 or ceil_mode, VALID with input < kernel, an ONNX AveragePool with
// dilation > 1 (PyTorch's avg_pool has none), an empty output.
// Example: tf SAME max, 61, k2 s2 -> 31, torch MaxPool1d(2, 2, ceil_mode=True).
PoolConversion PoolToTorch(Convention convention, const ForeignPool& pool, const std::vector<ForeignDim>& dims);

// Python lines that run the recipe ("x = F.pad(x, (0, 1), value=float('-inf'))",
// "y = F.max_pool2d(x, ...)", a crop slice).
std::vector<std::string> PoolRecipeLines(const PoolConversion& c, const ForeignPool& pool, const std::vector<ForeignDim>& dims);

// The recipe as modules ("nn.MaxPool2d(kernel_size=2, stride=2, ceil_mode=True)", a constant
// pad module in front); a masked average has no single module and says so.
std::vector<std::string> PoolModuleLines(const PoolConversion& c, const ForeignPool& pool, const std::vector<ForeignDim>& dims);

}  // namespace convcheck
