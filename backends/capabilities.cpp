#include "backends/capabilities.h"

#include <algorithm>

namespace convcheck {
namespace {

template <typename T>
bool Has(const std::vector<T>& v, const T& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

template <typename T, typename F>
std::string Join(const std::vector<T>& v, F name) {
  std::string out;
  for (const T& x : v) out += (out.empty() ? "" : ", ") + std::string(name(x));
  return out.empty() ? "none" : out;
}

}  // namespace

std::optional<std::string> Unsupported(const BackendCapabilities& caps, const std::string& backend,
                                       const ConvCase& c) {
  const std::string who = backend + " cannot express ";
  if (!Has(caps.ops, c.op)) return who + "op " + OpName(c.op);
  if (!Has(caps.dtypes, c.dtype)) return who + "dtype " + DTypeName(c.dtype);
  if (!Has(caps.padding_modes, c.padding_mode)) return who + "padding_mode " + PaddingModeName(c.padding_mode);
  if (!Has(caps.devices, c.device)) return who + "device " + DeviceName(c.device);
  if (!caps.padding_strings && c.padding_kind != PaddingKind::kExplicit) {
    return who + "padding=\"" + (c.padding_kind == PaddingKind::kSame ? "same" : "valid") + "\" (PyTorch's string padding)";
  }
  if (!caps.unbatched && !IsBatched(c)) return who + "an unbatched input";
  if (!caps.channels_last && c.layout == Layout::kChannelsLast) return who + "the channels_last layout";
  if (!caps.weight_override && c.weight_shape) return who + "a weight shape override";
  if (!caps.onnx_geometry && IsOnnxGeometry(c)) {
    return who + "ONNX geometry (auto_pad " + AutoPadName(*c.auto_pad) + ", asymmetric pads, output_shape)";
  }
  return std::nullopt;
}

std::string DescribeCapabilities(const BackendCapabilities& caps) {
  std::string s = "ops " + Join(caps.ops, OpName) + "; dtypes " + Join(caps.dtypes, DTypeName) +
                  "; padding modes " + Join(caps.padding_modes, PaddingModeName) + "; devices " +
                  Join(caps.devices, DeviceName);
  if (!caps.padding_strings) s += "; no padding=\"same\"/\"valid\"";
  if (!caps.unbatched) s += "; batched input only";
  if (!caps.channels_last) s += "; contiguous layout only";
  if (!caps.weight_override) s += "; no weight override";
  if (caps.onnx_geometry) s += "; ONNX geometry (auto_pad, asymmetric pads, output_shape)";
  s += caps.values ? "; shapes and values" : "; shapes only";
  if (!caps.note.empty()) s += "; " + caps.note;
  return s;
}

std::vector<Op> ConvolutionOps() {
  return {Op::kConv1d, Op::kConv2d, Op::kConv3d, Op::kConvTranspose1d, Op::kConvTranspose2d, Op::kConvTranspose3d};
}

BackendCapabilities AllCapabilities() {
  BackendCapabilities caps;
  for (int op = 0; op <= static_cast<int>(Op::kUpsample3d); ++op) caps.ops.push_back(static_cast<Op>(op));
  caps.dtypes = {DType::kFloat32, DType::kFloat64, DType::kBFloat16, DType::kFloat16};
  caps.padding_modes = {PaddingMode::kZeros, PaddingMode::kReflect, PaddingMode::kReplicate, PaddingMode::kCircular};
  caps.devices = {Device::kCpu, Device::kCuda};
  return caps;
}

}  // namespace convcheck
