// The convolution case: one record that every part of convcheck speaks (oracle, generators,
// backends, corpus, reports). Pure data plus a few derived accessors; see ARCHITECTURE.md for its
// JSON form (oracles/io/case_json.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace convcheck {

using Dims = std::vector<int64_t>;

enum class Op {
  kConv1d, kConv2d, kConv3d, kConvTranspose1d, kConvTranspose2d, kConvTranspose3d,
  // The other layers of a CNN (oracles/layer_ops.h): pooling, flatten, linear, shape-neutral.
  kMaxPool1d, kMaxPool2d, kMaxPool3d, kAvgPool1d, kAvgPool2d, kAvgPool3d,
  kAdaptiveAvgPool1d, kAdaptiveAvgPool2d, kAdaptiveAvgPool3d,
  kAdaptiveMaxPool1d, kAdaptiveMaxPool2d, kAdaptiveMaxPool3d,
  kFlatten, kLinear, kRelu, kTanh, kSigmoid, kDropout, kBatchNorm1d, kBatchNorm2d, kBatchNorm3d,
  // The decoder's up-samplers (appended, so the earlier ops keep their wire values):
  // nn.MaxUnpool{1,2,3}d and nn.Upsample / F.interpolate on a 3-, 4- or 5-d input.
  kMaxUnpool1d, kMaxUnpool2d, kMaxUnpool3d, kUpsample1d, kUpsample2d, kUpsample3d,
};
// How `padding` was given: explicit integers, or PyTorch's "same"/"valid" strings.
enum class PaddingKind { kExplicit, kSame, kValid };
enum class PaddingMode { kZeros, kReflect, kReplicate, kCircular };
enum class DType { kFloat32, kFloat64, kBFloat16, kFloat16 };
enum class Device { kCpu, kCuda };
// Memory layout of the input tensor; channels_last needs a 4-d (2d conv) or 5-d (3d) input.
enum class Layout { kContiguous, kChannelsLast };
// F.interpolate's `mode` for the modes whose output size is compute_output_size's (bicubic and
// area are not modelled). linear needs a 3-d input, bilinear 4-d, trilinear 5-d.
enum class UpsampleMode { kNearest, kLinear, kBilinear, kTrilinear };
// ONNX Conv/ConvTranspose `auto_pad` (opset 11, oracles/onnx_shape.h).
enum class AutoPad { kNotSet, kSameUpper, kSameLower, kValid };

struct ConvCase {
  Op op = Op::kConv2d;
  Dims input;  // [N, C, *spatial] or, unbatched, [C, *spatial]
  int64_t out_channels = 1;
  Dims kernel;          // one entry per spatial dim (scalars are broadcast when parsed)
  Dims stride;          // idem
  Dims padding;         // idem; all zero for "valid"; unused (derived) for "same"
  Dims output_padding;  // idem; only meaningful for transposed ops
  Dims dilation;        // idem
  PaddingKind padding_kind = PaddingKind::kExplicit;
  int64_t groups = 1;
  bool bias = true;
  PaddingMode padding_mode = PaddingMode::kZeros;
  DType dtype = DType::kFloat32;
  Device device = Device::kCpu;
  Layout layout = Layout::kContiguous;
  std::optional<Dims> weight_shape;  // overrides the weight shape the other fields imply
  std::optional<uint64_t> seed;      // fixes the tensor values
  // ONNX geometry (Conv/ConvTranspose, opset 11). Set `auto_pad` and the case is in ONNX terms:
  // the oracle judges it by ONNX's rules (oracles/onnx_shape.h) and only a backend that declares
  // onnx_geometry runs it. `padding` then holds ONNX's begin pads and `padding_end` its end pads.
  std::optional<AutoPad> auto_pad;
  Dims padding_end;                  // per dim; empty: equal to `padding` (symmetric)
  std::optional<Dims> output_shape;  // ConvTranspose `output_shape`: the spatial output sizes
  // Pooling, flatten, linear and batch_norm fields (unused by convolutions). For a pool,
  // `stride` defaults to `kernel`; padding "same" means TF/Keras SAME pooling (ceil(x/s)
  // outputs, the extra pad on the right), which PyTorch's pools do not take.
  bool ceil_mode = false;
  bool count_include_pad = true;
  std::optional<int64_t> divisor_override;
  Dims output_size;                    // adaptive pools; max_unpool's output_size and
                                       // upsample's size (empty: not given), per spatial dim
  std::vector<double> scale_factor;    // upsample, per spatial dim; empty: `size` is given
  UpsampleMode upsample_mode = UpsampleMode::kNearest;
  std::optional<bool> align_corners;   // upsample; unset: None (PyTorch's default)
  int64_t start_dim = 1;               // flatten
  int64_t end_dim = -1;                // flatten
  std::optional<int64_t> in_features;  // linear in_features / batch_norm num_features
  int64_t out_features = 1;            // linear

  bool operator==(const ConvCase& other) const;
  bool operator!=(const ConvCase& other) const { return !(*this == other); }
};

// a == b, and the scale factors equal in their bits: == holds 0.0 and -0.0 equal, the case's
// binary form and JSON line do not. For caches that answer for a case by the last one seen.
bool Identical(const ConvCase& a, const ConvCase& b);

// For a hash map of cases under Identical (without serializing each case to a key): a hash
// of the fields generated cases differ in most, so Identical cases hash alike.
struct CaseHash {
  size_t operator()(const ConvCase& c) const;
};
struct CaseIdentical {
  bool operator()(const ConvCase& a, const ConvCase& b) const { return Identical(a, b); }
};

// Number of spatial dims of an op (1, 2 or 3).
int SpatialRank(Op op);
bool IsTransposed(Op op);
// The op with the same rank and the other direction (conv2d <-> conv_transpose2d).
Op Transposed(Op op);
// Op for a direction and rank; rank must be 1..3.
Op MakeOp(bool transposed, int rank);

// True when `input` has the batched rank (rank + 2).
bool IsBatched(const ConvCase& c);
// Input channels (input[0] unbatched, input[1] batched); 0 when `input` is too short.
int64_t InChannels(const ConvCase& c);
// The spatial part of `input` (the trailing dims after N, C or after C).
Dims SpatialInput(const ConvCase& c);
// The weight shape the case implies: conv [out, in/groups, *k], convT [in, out/groups, *k];
// `weight_shape` when given. Division by a non-positive groups yields 0 for that entry.
Dims WeightShape(const ConvCase& c);

// True when the case is in ONNX terms (auto_pad given).
bool IsOnnxGeometry(const ConvCase& c);
// The end pads: `padding_end`, or `padding` when it is empty.
const Dims& PaddingEnd(const ConvCase& c);

// Canonical names used by the JSON format, the CLI and reports.
const char* OpName(Op op);
const char* PaddingModeName(PaddingMode m);
const char* DTypeName(DType t);
const char* DeviceName(Device d);
const char* LayoutName(Layout l);
const char* AutoPadName(AutoPad a);  // ONNX's spelling: "NOTSET", "SAME_UPPER", ...
const char* UpsampleModeName(UpsampleMode m);  // PyTorch's spelling: "nearest", "bilinear", ...
std::optional<Op> ParseOpName(const std::string& s);
std::optional<PaddingMode> ParsePaddingModeName(const std::string& s);
std::optional<DType> ParseDTypeName(const std::string& s);
std::optional<Device> ParseDeviceName(const std::string& s);
std::optional<Layout> ParseLayoutName(const std::string& s);
std::optional<AutoPad> ParseAutoPadName(const std::string& s);
std::optional<UpsampleMode> ParseUpsampleModeName(const std::string& s);

// A ConvCase for `op` with every per-dim field at its PyTorch default (kernel 1, stride 1,
// padding 0, output_padding 0, dilation 1) and the given input.
ConvCase DefaultCase(Op op, Dims input, int64_t out_channels);

// "[1, 3, 24, 24]"
std::string FormatDims(const Dims& d);

}  // namespace convcheck
