#include "oracles/conv_case.h"

#include <cstring>
#include <sstream>

#include "oracles/layer_ops.h"

namespace convcheck {

bool ConvCase::operator==(const ConvCase& o) const {
  return op == o.op && input == o.input && out_channels == o.out_channels &&
         kernel == o.kernel && stride == o.stride && padding == o.padding &&
         output_padding == o.output_padding && dilation == o.dilation &&
         padding_kind == o.padding_kind && groups == o.groups && bias == o.bias &&
         padding_mode == o.padding_mode && dtype == o.dtype && device == o.device &&
         layout == o.layout && weight_shape == o.weight_shape && seed == o.seed &&
         ceil_mode == o.ceil_mode && count_include_pad == o.count_include_pad &&
         divisor_override == o.divisor_override && output_size == o.output_size &&
         start_dim == o.start_dim && end_dim == o.end_dim && in_features == o.in_features &&
         out_features == o.out_features && auto_pad == o.auto_pad && padding_end == o.padding_end &&
         output_shape == o.output_shape && scale_factor == o.scale_factor &&
         upsample_mode == o.upsample_mode && align_corners == o.align_corners;
}

bool Identical(const ConvCase& a, const ConvCase& b) {
  if (!(a == b)) return false;
  return a.scale_factor.empty() ||
         std::memcmp(a.scale_factor.data(), b.scale_factor.data(), a.scale_factor.size() * sizeof(double)) == 0;
}

size_t CaseHash::operator()(const ConvCase& c) const {
  // FNV-1a over 64-bit words.
  uint64_t h = 0xcbf29ce484222325ULL;
  const auto mix = [&h](uint64_t v) { h = (h ^ v) * 0x100000001b3ULL; };
  const auto mix_dims = [&mix](const Dims& d) {
    mix(d.size());
    for (int64_t v : d) mix(static_cast<uint64_t>(v));
  };
  mix(static_cast<uint64_t>(c.op));
  mix_dims(c.input);
  mix(static_cast<uint64_t>(c.out_channels));
  mix_dims(c.kernel);
  mix_dims(c.stride);
  mix_dims(c.padding);
  mix_dims(c.output_padding);
  mix_dims(c.dilation);
  mix(static_cast<uint64_t>(c.groups));
  mix(static_cast<uint64_t>(c.padding_kind) | static_cast<uint64_t>(c.padding_mode) << 8 |
      static_cast<uint64_t>(c.dtype) << 16 | static_cast<uint64_t>(c.device) << 24 |
      static_cast<uint64_t>(c.layout) << 32 | static_cast<uint64_t>(c.bias) << 40);
  return static_cast<size_t>(h ^ (h >> 32));
}

bool IsOnnxGeometry(const ConvCase& c) { return c.auto_pad.has_value(); }

const Dims& PaddingEnd(const ConvCase& c) { return c.padding_end.empty() ? c.padding : c.padding_end; }

int SpatialRank(Op op) {
  switch (op) {
    case Op::kConv1d:
    case Op::kConvTranspose1d:
      return 1;
    case Op::kConv2d:
    case Op::kConvTranspose2d:
      return 2;
    case Op::kConv3d:
    case Op::kConvTranspose3d:
      return 3;
    default:
      return LayerSpatialRank(op);
  }
}

bool IsTransposed(Op op) {
  return op == Op::kConvTranspose1d || op == Op::kConvTranspose2d || op == Op::kConvTranspose3d;
}

Op MakeOp(bool transposed, int rank) {
  static constexpr Op kConv[] = {Op::kConv1d, Op::kConv2d, Op::kConv3d};
  static constexpr Op kConvT[] = {Op::kConvTranspose1d, Op::kConvTranspose2d,
                                  Op::kConvTranspose3d};
  return transposed ? kConvT[rank - 1] : kConv[rank - 1];
}

Op Transposed(Op op) { return MakeOp(!IsTransposed(op), SpatialRank(op)); }

bool IsBatched(const ConvCase& c) {
  return static_cast<int>(c.input.size()) == SpatialRank(c.op) + 2;
}

int64_t InChannels(const ConvCase& c) {
  const size_t at = IsBatched(c) ? 1 : 0;
  return c.input.size() > at ? c.input[at] : 0;
}

Dims SpatialInput(const ConvCase& c) {
  const size_t rank = static_cast<size_t>(SpatialRank(c.op));
  if (c.input.size() < rank) return {};
  return Dims(c.input.end() - static_cast<std::ptrdiff_t>(rank), c.input.end());
}

Dims WeightShape(const ConvCase& c) {
  if (c.weight_shape) return *c.weight_shape;
  const int64_t in = InChannels(c);
  const int64_t g = c.groups;
  Dims w;
  if (IsTransposed(c.op)) {
    w = {in, g > 0 ? c.out_channels / g : 0};
  } else {
    w = {c.out_channels, g > 0 ? in / g : 0};
  }
  w.insert(w.end(), c.kernel.begin(), c.kernel.end());
  return w;
}

namespace {
struct OpEntry {
  Op op;
  const char* name;
};
constexpr OpEntry kOps[] = {
    {Op::kConv1d, "conv1d"},
    {Op::kConv2d, "conv2d"},
    {Op::kConv3d, "conv3d"},
    {Op::kConvTranspose1d, "conv_transpose1d"},
    {Op::kConvTranspose2d, "conv_transpose2d"},
    {Op::kConvTranspose3d, "conv_transpose3d"},
    {Op::kMaxPool1d, "max_pool1d"},
    {Op::kMaxPool2d, "max_pool2d"},
    {Op::kMaxPool3d, "max_pool3d"},
    {Op::kAvgPool1d, "avg_pool1d"},
    {Op::kAvgPool2d, "avg_pool2d"},
    {Op::kAvgPool3d, "avg_pool3d"},
    {Op::kAdaptiveAvgPool1d, "adaptive_avg_pool1d"},
    {Op::kAdaptiveAvgPool2d, "adaptive_avg_pool2d"},
    {Op::kAdaptiveAvgPool3d, "adaptive_avg_pool3d"},
    {Op::kAdaptiveMaxPool1d, "adaptive_max_pool1d"},
    {Op::kAdaptiveMaxPool2d, "adaptive_max_pool2d"},
    {Op::kAdaptiveMaxPool3d, "adaptive_max_pool3d"},
    {Op::kFlatten, "flatten"},
    {Op::kLinear, "linear"},
    {Op::kRelu, "relu"},
    {Op::kTanh, "tanh"},
    {Op::kSigmoid, "sigmoid"},
    {Op::kDropout, "dropout"},
    {Op::kBatchNorm1d, "batch_norm1d"},
    {Op::kBatchNorm2d, "batch_norm2d"},
    {Op::kBatchNorm3d, "batch_norm3d"},
    {Op::kMaxUnpool1d, "max_unpool1d"},
    {Op::kMaxUnpool2d, "max_unpool2d"},
    {Op::kMaxUnpool3d, "max_unpool3d"},
    {Op::kUpsample1d, "upsample1d"},
    {Op::kUpsample2d, "upsample2d"},
    {Op::kUpsample3d, "upsample3d"},
};

template <typename Enum, size_t N>
std::optional<Enum> ParseByName(const std::string& s, const Enum (&values)[N],
                                const char* (*name)(Enum)) {
  for (Enum v : values) {
    if (s == name(v)) return v;
  }
  return std::nullopt;
}
}  // namespace

const char* OpName(Op op) {
  for (const auto& e : kOps) {
    if (e.op == op) return e.name;
  }
  return "?";
}

const char* PaddingModeName(PaddingMode m) {
  switch (m) {
    case PaddingMode::kZeros: return "zeros";
    case PaddingMode::kReflect: return "reflect";
    case PaddingMode::kReplicate: return "replicate";
    case PaddingMode::kCircular: return "circular";
  }
  return "?";
}

const char* DTypeName(DType t) {
  switch (t) {
    case DType::kFloat32: return "float32";
    case DType::kFloat64: return "float64";
    case DType::kBFloat16: return "bfloat16";
    case DType::kFloat16: return "float16";
  }
  return "?";
}

const char* DeviceName(Device d) {
  switch (d) {
    case Device::kCpu: return "cpu";
    case Device::kCuda: return "cuda";
  }
  return "?";
}

const char* LayoutName(Layout l) {
  switch (l) {
    case Layout::kContiguous: return "contiguous";
    case Layout::kChannelsLast: return "channels_last";
  }
  return "?";
}

const char* AutoPadName(AutoPad a) {
  switch (a) {
    case AutoPad::kNotSet: return "NOTSET";
    case AutoPad::kSameUpper: return "SAME_UPPER";
    case AutoPad::kSameLower: return "SAME_LOWER";
    case AutoPad::kValid: return "VALID";
  }
  return "?";
}

const char* UpsampleModeName(UpsampleMode m) {
  switch (m) {
    case UpsampleMode::kNearest: return "nearest";
    case UpsampleMode::kLinear: return "linear";
    case UpsampleMode::kBilinear: return "bilinear";
    case UpsampleMode::kTrilinear: return "trilinear";
  }
  return "?";
}

std::optional<Op> ParseOpName(const std::string& s) {
  for (const auto& e : kOps) {
    if (s == e.name) return e.op;
  }
  return std::nullopt;
}

std::optional<PaddingMode> ParsePaddingModeName(const std::string& s) {
  static constexpr PaddingMode kAll[] = {PaddingMode::kZeros, PaddingMode::kReflect,
                                         PaddingMode::kReplicate, PaddingMode::kCircular};
  return ParseByName(s, kAll, PaddingModeName);
}

std::optional<DType> ParseDTypeName(const std::string& s) {
  static constexpr DType kAll[] = {DType::kFloat32, DType::kFloat64, DType::kBFloat16,
                                   DType::kFloat16};
  return ParseByName(s, kAll, DTypeName);
}

std::optional<Device> ParseDeviceName(const std::string& s) {
  static constexpr Device kAll[] = {Device::kCpu, Device::kCuda};
  return ParseByName(s, kAll, DeviceName);
}

std::optional<Layout> ParseLayoutName(const std::string& s) {
  static constexpr Layout kAll[] = {Layout::kContiguous, Layout::kChannelsLast};
  return ParseByName(s, kAll, LayoutName);
}

std::optional<AutoPad> ParseAutoPadName(const std::string& s) {
  static constexpr AutoPad kAll[] = {AutoPad::kNotSet, AutoPad::kSameUpper, AutoPad::kSameLower, AutoPad::kValid};
  return ParseByName(s, kAll, AutoPadName);
}

std::optional<UpsampleMode> ParseUpsampleModeName(const std::string& s) {
  static constexpr UpsampleMode kAll[] = {UpsampleMode::kNearest, UpsampleMode::kLinear, UpsampleMode::kBilinear,
                                          UpsampleMode::kTrilinear};
  return ParseByName(s, kAll, UpsampleModeName);
}

ConvCase DefaultCase(Op op, Dims input, int64_t out_channels) {
  const size_t r = static_cast<size_t>(SpatialRank(op));
  ConvCase c;
  c.op = op;
  c.input = std::move(input);
  c.out_channels = out_channels;
  c.kernel = Dims(r, 1);
  c.stride = Dims(r, 1);
  c.padding = Dims(r, 0);
  c.output_padding = Dims(r, 0);
  c.dilation = Dims(r, 1);
  return c;
}

std::string FormatDims(const Dims& d) {
  std::ostringstream os;
  os << '[';
  for (size_t i = 0; i < d.size(); ++i) os << (i ? ", " : "") << d[i];
  os << ']';
  return os.str();
}

}  // namespace convcheck
