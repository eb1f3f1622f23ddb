// Other frameworks' padding conventions (TensorFlow SAME/VALID, Keras deconv_output_length,
// ONNX auto_pad) and their exact PyTorch equivalents: explicit, possibly asymmetric pads then a
// conv, or a transposed conv then a crop. Per spatial dim; never throws.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "oracles/output_shape.h"

namespace convcheck {

enum class Convention {
  kTfSame, kTfValid,            // tf.nn.conv*d / tf.nn.conv*d_transpose padding=
  kKerasSame, kKerasValid,      // keras Conv*DTranspose (deconv_output_length) and Conv*D
  kOnnxNotSet, kOnnxSameUpper, kOnnxSameLower, kOnnxValid,  // ONNX Conv/ConvTranspose auto_pad
};
// "tf SAME", "onnx SAME_UPPER", ...
std::string ConventionName(Convention c);
// framework "tf"|"keras"|"onnx", padding as that framework spells it (case-insensitive).
std::optional<Convention> ParseConvention(const std::string& framework, const std::string& padding);

// One spatial dim as the other framework describes it.
struct ForeignDim {
  int64_t input = 1;
  int64_t kernel = 1;
  int64_t stride = 1;
  int64_t dilation = 1;
  int64_t pad_begin = 0;  // ONNX NOTSET pads
  int64_t pad_end = 0;
  std::optional<int64_t> output_padding;  // Keras: None vs given; ONNX: default 0
  std::optional<int64_t> output_shape;    // TF transpose: required; ONNX ConvTranspose: optional
};

// The PyTorch recipe for one dim, and the size the other framework documents.
struct DimRecipe {
  int64_t expected = 0;     // the other framework's output size
  PadPair pre_pad;          // conv: constant pad applied by F.pad before the conv
  int64_t padding = 0;      // symmetric padding passed to the torch op
  int64_t output_padding = 0;
  PadPair crop;             // conv_transpose: elements sliced off the output
  std::string formula;      // where `expected` comes from, numbers substituted
};

struct Conversion {
  std::vector<DimRecipe> dims;
  std::string error;  // the other framework rejects the case, or no torch recipe exists
  std::vector<std::string> notes;
  bool ok() const { return error.empty(); }
};

// Converts a conv (transposed = false) or transposed conv in `convention` to a PyTorch recipe.
Conversion ToTorch(Convention convention, bool transposed, const std::vector<ForeignDim>& dims);

// tf.nn.conv*d_transpose checks output_shape by running the forward conv on it
// (tensorflow/core/kernels/conv_grad_shape_utils.cc, ConvBackpropComputeDimensionsV2), so it
// accepts every size the forward conv maps back to `input`: the closed range returned here
// (SAME: [(x−1)s+1, x·s]; VALID: [(x−1)s+E, x·s+E−1], E = d(k−1)+1). Computed exactly; a bound
// beyond int64 is clamped to 2^63−1, the largest size a tensor can have (ToTorch names the overflow).
std::pair<int64_t, int64_t> TfTransposeAcceptedSizes(const ForeignDim& d, bool same);

// keras.utils.conv_utils.deconv_output_length for "same"/"valid", exact, clamped to int64.
int64_t KerasDeconvOutputLength(const ForeignDim& d, bool same);

// Python lines that run the recipe ("x = F.pad(x, (0, 1, 0, 1))", "y = F.conv2d(...)").
std::vector<std::string> RecipeLines(const Conversion& c, const std::vector<ForeignDim>& dims,
                                     bool transposed);

// The same recipe as modules: "nn.Conv2d(C_in, C_out, kernel_size=3, stride=2, padding=1)", with
// a zero-pad module in front (nn.Sequential) when the pads are asymmetric, or a crop line after a
// transposed conv. Channels stay symbolic (C_in, C_out): the convention fixes sizes only.
std::vector<std::string> ModuleLines(const Conversion& c, const std::vector<ForeignDim>& dims, bool transposed);

// How to bring the other framework's weight and input into PyTorch's layout: TF/Keras kernels are
// [*k, in, out] (conv) or [*k, out, in] (transposed) and both need permute(r+1, r, 0..r−1); ONNX
// weights already are PyTorch's; TF/Keras inputs are channels-last by default.
std::vector<std::string> LayoutLines(Convention convention, bool transposed, size_t rank);

}  // namespace convcheck
