#include "oracles/conventions.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "oracles/int128.h"

namespace convcheck {
namespace {

// Every quantity is exact: inputs are int64, so products of two and their sums stay far inside
// 128 bits. What PyTorch must hold (a size, a pad, a crop) is narrowed by Narrow, which names the
// overflow the way the oracle's kOverflow rule does instead of wrapping into a wrong recipe.
i128 Extent(const ForeignDim& d) { return static_cast<i128>(d.dilation) * (d.kernel - 1) + 1; }
i128 CeilDiv(i128 a, i128 b) { return FloorDiv(a + b - 1, b); }
std::string S(i128 v) { return ToString(v); }

bool Narrow(i128 v, const char* what, int64_t* out, std::string* err) {
  if (!FitsInt64(v)) {
    *err = std::string("overflow: ") + what + " " + S(v) + " exceeds int64 (the largest size PyTorch holds)";
    return false;
  }
  *out = static_cast<int64_t>(v);
  return true;
}

std::pair<i128, i128> AcceptedSizes(const ForeignDim& d, bool same) {
  const i128 base = (static_cast<i128>(d.input) - 1) * d.stride;
  if (same) return {base + 1, base + d.stride};
  return {base + Extent(d), base + Extent(d) + d.stride - 1};
}

i128 DeconvOutputLength(const ForeignDim& d, bool same) {
  const i128 e = Extent(d);  // keras: filter_size + (filter_size − 1)(dilation − 1)
  const i128 x = d.input, s = d.stride;
  if (!d.output_padding) return same ? x * s : x * s + std::max<i128>(e - s, 0);
  const i128 pad = same ? e / 2 : 0;
  return (x - 1) * s + e - 2 * pad + *d.output_padding;
}

std::string Upper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

// TF SAME / ONNX SAME_*: out = ceil(x/s), total = max((out−1)s + E − x, 0). TF and ONNX
// SAME_UPPER put the odd element after (tensorflow/core/framework/kernel_shape_util.cc,
// GetWindowedOutputSizeVerbose); ONNX SAME_LOWER puts it before (onnx/defs/nn/defs.cc).
std::string SameConv(const ForeignDim& d, bool extra_before, DimRecipe* r) {
  const i128 out = CeilDiv(d.input, d.stride);
  const i128 total = std::max<i128>((out - 1) * d.stride + Extent(d) - d.input, 0);
  const i128 small = total / 2;
  std::string err;
  if (!Narrow(out, "output size", &r->expected, &err) ||
      !Narrow(extra_before ? total - small : small, "pad before", &r->pre_pad.left, &err) ||
      !Narrow(extra_before ? small : total - small, "pad after", &r->pre_pad.right, &err)) {
    return err;
  }
  std::ostringstream os;
  os << "out = ceil(" << d.input << "/" << d.stride << ") = " << r->expected << "; pad total = max(("
     << r->expected << "−1)·" << d.stride << " + " << S(Extent(d)) << " − " << d.input << ", 0) = " << S(total)
     << " → before " << r->pre_pad.left << ", after " << r->pre_pad.right;
  r->formula = os.str();
  return "";
}

// Folds the symmetric part of the pads into the conv's own padding.
void FoldConvPads(DimRecipe* r) {
  r->padding = std::min(r->pre_pad.left, r->pre_pad.right);
  r->pre_pad.left -= r->padding;
  r->pre_pad.right -= r->padding;
}

std::string ConvDim(Convention cv, const ForeignDim& d, DimRecipe* r) {
  const i128 e = Extent(d);
  std::string err;
  switch (cv) {
    case Convention::kTfSame: case Convention::kKerasSame: case Convention::kOnnxSameUpper:
      err = SameConv(d, false, r);
      break;
    case Convention::kOnnxSameLower:
      err = SameConv(d, true, r);
      break;
    case Convention::kTfValid: case Convention::kKerasValid: case Convention::kOnnxValid:
      if (d.input < e) return "VALID needs input " + std::to_string(d.input) + " >= kernel extent " + S(e);
      if (!Narrow(CeilDiv(d.input - e + 1, d.stride), "output size", &r->expected, &err)) return err;
      r->formula = "out = ceil((" + std::to_string(d.input) + " − " + S(e) + " + 1)/" + std::to_string(d.stride) + ") = " + std::to_string(r->expected);
      break;
    case Convention::kOnnxNotSet: {
      const i128 padded = static_cast<i128>(d.input) + d.pad_begin + d.pad_end;
      if (padded < e) return "padded input " + S(padded) + " is smaller than kernel extent " + S(e);
      if (!Narrow(ConvOutputSize(d.input, d.pad_begin, d.pad_end, d.kernel, d.stride, d.dilation), "output size", &r->expected, &err)) return err;
      r->pre_pad = {d.pad_begin, d.pad_end};
      r->formula = "out = floor((" + std::to_string(d.input) + " + " + std::to_string(d.pad_begin) + " + " + std::to_string(d.pad_end) + " − " + S(e) + ")/" + std::to_string(d.stride) + ") + 1 = " + std::to_string(r->expected);
      break;
    }
  }
  if (!err.empty()) return err;
  FoldConvPads(r);
  return "";
}

// convT with padding 0 gives F = (x−1)s + E; the other framework's output is the window
// [head, head + out) of it (extended by output_padding when it runs past F).
std::string TransposeWindow(const ForeignDim& d, i128 head, i128 out, DimRecipe* r) {
  std::string err;
  if (!Narrow(out, "output size", &r->expected, &err)) return err;  // also keeps head + out in range
  const i128 full = (static_cast<i128>(d.input) - 1) * d.stride + Extent(d);
  const i128 extra = std::max<i128>(0, head + out - full);
  if (extra >= std::max(d.stride, d.dilation)) {
    return "output size " + S(out) + " needs output_padding " + S(extra) +
           " >= max(stride, dilation): no PyTorch conv_transpose reaches it";
  }
  const i128 tail = full + extra - head - out;
  const i128 padding = std::min(head, tail);
  int64_t torch_out = 0;  // PyTorch computes the uncropped size in int64 too
  if (!Narrow(full - 2 * padding + extra, "conv_transpose output size", &torch_out, &err) ||
      !Narrow(padding, "padding", &r->padding, &err) || !Narrow(head - padding, "crop before", &r->crop.left, &err) ||
      !Narrow(tail - padding, "crop after", &r->crop.right, &err)) {
    return err;
  }
  r->output_padding = static_cast<int64_t>(extra);
  return "";
}

std::string TfTranspose(const ForeignDim& d, bool same, i128 out, DimRecipe* r) {
  const auto [lo, hi] = AcceptedSizes(d, same);
  if (out < lo || out > hi) {
    return "tf.nn.conv_transpose rejects output size " + S(out) + ": for input " + std::to_string(d.input) +
           " it accepts " + S(lo) + ".." + S(hi);
  }
  const i128 total = same ? std::max<i128>((static_cast<i128>(d.input) - 1) * d.stride + Extent(d) - out, 0) : 0;
  const std::string err = TransposeWindow(d, total / 2, out, r);
  r->formula = "accepted output sizes " + S(lo) + ".." + S(hi) + " (the forward conv maps each back to " + std::to_string(d.input) + "); chosen " + S(out);
  return err;
}

std::string TransposeDim(Convention cv, const ForeignDim& d, DimRecipe* r) {
  const i128 full = (static_cast<i128>(d.input) - 1) * d.stride + Extent(d);
  const int64_t op = d.output_padding.value_or(0);
  switch (cv) {
    case Convention::kTfSame: case Convention::kTfValid:
      if (!d.output_shape) return "tf.nn.conv_transpose needs output_shape";
      return TfTranspose(d, cv == Convention::kTfSame, *d.output_shape, r);
    case Convention::kKerasSame: case Convention::kKerasValid: {
      if (d.output_padding && *d.output_padding >= d.stride) return "keras: output_padding " + std::to_string(op) + " must be smaller than stride " + std::to_string(d.stride);
      const i128 len = DeconvOutputLength(d, cv == Convention::kKerasSame);
      const std::string err = TfTranspose(d, cv == Convention::kKerasSame, len, r);
      r->formula = "deconv_output_length = " + S(len) + "; " + r->formula;
      return err;
    }
    default: break;
  }
  // ONNX ConvTranspose, opset 11 (the geometry is unchanged through opset 22), as the operator
  // text in onnx/defs/nn/defs.cc (ConvTransposeOpSchemaGenerator) and the reference implementation
  // onnx/reference/ops/op_conv_transpose.py define it, checked by the node tests in
  // onnx/backend/test/case/node/convtranspose.py (test_convtranspose_autopad_same: 3 → 6, the odd
  // pad at the end):
  //  - pads (NOTSET, or VALID = zero pads): out = (x−1)s + adj + E − pb − pe, head = pb;
  //  - SAME_UPPER / SAME_LOWER without output_shape: output_shape = x·s;
  //  - output_shape (given, or from SAME): total = (x−1)s + adj + E − out; SAME_UPPER puts
  //    total/2 at the head (the odd element at the end), every other mode total − total/2.
  // A negative total (output_shape beyond the full result) would be a negative pad; the extra
  // then goes at the end, where output_padding adds elements and where test_convtranspose_output_shape
  // (3 → 10 with stride 3, full size 9) puts its zero row. onnxruntime differs (it pads the head for
  // SAME_UPPER); the spec and its tests are the rule here.
  const bool same = cv == Convention::kOnnxSameUpper || cv == Convention::kOnnxSameLower;
  if (d.output_shape || same) {
    const i128 out = d.output_shape ? static_cast<i128>(*d.output_shape) : static_cast<i128>(d.input) * d.stride;
    const i128 total = full + op - out;
    const i128 head = total <= 0 ? 0 : cv == Convention::kOnnxSameUpper ? total / 2 : total - total / 2;
    const std::string err = TransposeWindow(d, head, out, r);
    r->formula = std::string(d.output_shape ? "output_shape given: " : "SAME: output_shape = x·s = ") + S(out) +
                 "; pad total = (" + std::to_string(d.input) + "−1)·" + std::to_string(d.stride) + " + " + std::to_string(op) + " + " +
                 S(Extent(d)) + " − " + S(out) + " = " + S(total) + " → head " + S(head) + ", tail " + S(total - head);
    return err;
  }
  const bool explicit_pads = cv == Convention::kOnnxNotSet;
  const i128 out = full + op - (explicit_pads ? static_cast<i128>(d.pad_begin) + d.pad_end : 0);
  if (out <= 0) return "output size " + S(out) + " is not positive";
  const std::string err = TransposeWindow(d, explicit_pads ? d.pad_begin : 0, out, r);
  r->formula = "out = (" + std::to_string(d.input) + "−1)·" + std::to_string(d.stride) + " + " + std::to_string(op) + " + " + S(Extent(d)) +
               (explicit_pads ? " − " + std::to_string(d.pad_begin) + " − " + std::to_string(d.pad_end) : "") + " = " + S(out);
  return err;
}

std::string Tuple(const std::vector<int64_t>& v) {
  std::ostringstream os;
  os << "(";
  for (size_t i = 0; i < v.size(); ++i) os << (i ? ", " : "") << v[i];
  os << (v.size() == 1 ? ",)" : ")");
  return os.str();
}

}  // namespace

std::string ConventionName(Convention c) {
  switch (c) {
    case Convention::kTfSame: return "tf SAME";
    case Convention::kTfValid: return "tf VALID";
    case Convention::kKerasSame: return "keras same";
    case Convention::kKerasValid: return "keras valid";
    case Convention::kOnnxNotSet: return "onnx NOTSET";
    case Convention::kOnnxSameUpper: return "onnx SAME_UPPER";
    case Convention::kOnnxSameLower: return "onnx SAME_LOWER";
    case Convention::kOnnxValid: return "onnx VALID";
  }
  return "?";
}

std::optional<Convention> ParseConvention(const std::string& framework, const std::string& padding) {
  const std::string p = Upper(padding);
  if (framework == "tf" || framework == "keras") {
    const bool keras = framework == "keras";
    if (p == "SAME") return keras ? Convention::kKerasSame : Convention::kTfSame;
    if (p == "VALID") return keras ? Convention::kKerasValid : Convention::kTfValid;
  } else if (framework == "onnx") {
    if (p == "NOTSET") return Convention::kOnnxNotSet;
    if (p == "SAME_UPPER") return Convention::kOnnxSameUpper;
    if (p == "SAME_LOWER") return Convention::kOnnxSameLower;
    if (p == "VALID") return Convention::kOnnxValid;
  }
  return std::nullopt;
}

std::pair<int64_t, int64_t> TfTransposeAcceptedSizes(const ForeignDim& d, bool same) {
  const auto [lo, hi] = AcceptedSizes(d, same);
  return {static_cast<int64_t>(std::min(lo, kInt64Max)), static_cast<int64_t>(std::min(hi, kInt64Max))};
}

int64_t KerasDeconvOutputLength(const ForeignDim& d, bool same) {
  return static_cast<int64_t>(std::clamp<i128>(DeconvOutputLength(d, same), -kInt64Max - 1, kInt64Max));
}

Conversion ToTorch(Convention convention, bool transposed, const std::vector<ForeignDim>& dims) {
  Conversion c;
  for (size_t i = 0; i < dims.size() && c.ok(); ++i) {
    const ForeignDim& d = dims[i];
    if (d.input < 1 || d.kernel < 1 || d.stride < 1 || d.dilation < 1 || d.pad_begin < 0 || d.pad_end < 0 ||
        d.output_padding.value_or(0) < 0 || d.output_shape.value_or(1) < 1) {
      c.error = "dim " + std::to_string(i) + ": sizes, kernel, stride, dilation must be >= 1 and pads >= 0";
      break;
    }
    DimRecipe r;
    const std::string err = transposed ? TransposeDim(convention, d, &r) : ConvDim(convention, d, &r);
    if (!err.empty()) c.error = "dim " + std::to_string(i) + ": " + err;
    c.dims.push_back(r);
  }
  if (c.ok() && !transposed && convention == Convention::kTfSame) {
    for (const ForeignDim& d : dims) {
      if (d.dilation > 1 && d.stride > 1) {
        c.notes.push_back("tf.nn.convolution refuses dilation > 1 together with stride > 1; the shape above is the formula's");
        break;
      }
    }
  }
  return c;
}

std::vector<std::string> RecipeLines(const Conversion& c, const std::vector<ForeignDim>& dims,
                                     bool transposed) {
  std::vector<std::string> lines;
  const size_t rank = std::min(c.dims.size(), dims.size());
  std::vector<int64_t> padding, op, torch_pads, stride, dilation;
  for (size_t i = 0; i < rank; ++i) {
    stride.push_back(dims[i].stride);
    dilation.push_back(dims[i].dilation);
  }
  bool pre = false, crop = false;
  for (size_t i = rank; i-- > 0;) {  // F.pad lists the last dim first
    torch_pads.push_back(c.dims[i].pre_pad.left);
    torch_pads.push_back(c.dims[i].pre_pad.right);
  }
  for (size_t i = 0; i < rank; ++i) {
    const DimRecipe& r = c.dims[i];
    padding.push_back(r.padding);
    op.push_back(r.output_padding);
    pre = pre || r.pre_pad.left || r.pre_pad.right;
    crop = crop || r.crop.left || r.crop.right;
  }
  const std::string suffix = std::to_string(rank) + "d";
  if (!transposed) {
    if (pre) lines.push_back("x = F.pad(x, " + Tuple(torch_pads) + ")  # constant zeros, last dim first");
    lines.push_back("y = F.conv" + suffix + "(x, weight, stride=" + Tuple(stride) + ", padding=" + Tuple(padding) +
                    ", dilation=" + Tuple(dilation) + ")");
    return lines;
  }
  lines.push_back("y = F.conv_transpose" + suffix + "(x, weight, stride=" + Tuple(stride) + ", padding=" +
                  Tuple(padding) + ", output_padding=" + Tuple(op) + ", dilation=" + Tuple(dilation) + ")");
  if (crop) {
    std::string slice = "y = y[:, :";
    for (const DimRecipe& r : c.dims) {
      slice += ", " + std::to_string(r.crop.left) + ":" + std::to_string(r.crop.left + r.expected);
    }
    lines.push_back(slice + "]  # crop");
  }
  return lines;
}

namespace {

// "2" or "(2, 1)", as PyTorch's constructors take it.
std::string PerDimValue(const std::vector<int64_t>& v) {
  for (int64_t x : v) {
    if (x != v.front()) return Tuple(v);
  }
  return v.empty() ? "0" : std::to_string(v.front());
}

// ", stride=2" or ", stride=(2, 1)"; nothing when every entry is the default.
std::string PerDimArg(const char* name, const std::vector<int64_t>& v, int64_t dflt) {
  for (int64_t x : v) {
    if (x != dflt) return std::string(", ") + name + "=" + PerDimValue(v);
  }
  return "";
}

}  // namespace

std::vector<std::string> ModuleLines(const Conversion& c, const std::vector<ForeignDim>& dims, bool transposed) {
  const size_t rank = std::min(c.dims.size(), dims.size());
  std::vector<int64_t> kernel, stride, dilation, padding, op, torch_pads;
  bool pre = false, crop = false;
  for (size_t i = 0; i < rank; ++i) {
    kernel.push_back(dims[i].kernel);
    stride.push_back(dims[i].stride);
    dilation.push_back(dims[i].dilation);
    padding.push_back(c.dims[i].padding);
    op.push_back(c.dims[i].output_padding);
    pre = pre || c.dims[i].pre_pad.left || c.dims[i].pre_pad.right;
    crop = crop || c.dims[i].crop.left || c.dims[i].crop.right;
  }
  for (size_t i = rank; i-- > 0;) {  // padding modules list the last dim first, as F.pad does
    torch_pads.push_back(c.dims[i].pre_pad.left);
    torch_pads.push_back(c.dims[i].pre_pad.right);
  }
  const std::string r = std::to_string(rank) + "d";
  std::string conv = std::string("nn.Conv") + (transposed ? "Transpose" : "") + r + "(C_in, C_out" +
                     ", kernel_size=" + PerDimValue(kernel) +
                     PerDimArg("stride", stride, 1) + PerDimArg("padding", padding, 0) +
                     (transposed ? PerDimArg("output_padding", op, 0) : "") + PerDimArg("dilation", dilation, 1) + ")";
  if (!transposed && pre) {
    // nn.ZeroPad3d arrived after LibTorch 1.13; ConstantPadNd exists for every rank.
    const std::string pad = rank == 2 ? "nn.ZeroPad2d(" + Tuple(torch_pads) + ")"
                                      : "nn.ConstantPad" + r + "(" + Tuple(torch_pads) + ", 0.0)";
    return {"nn.Sequential(" + pad + ", " + conv + ")"};
  }
  std::vector<std::string> lines = {conv};
  if (crop) {
    std::string slice = "then y = y[:, :";
    for (const DimRecipe& d : c.dims) slice += ", " + std::to_string(d.crop.left) + ":" + std::to_string(d.crop.left + d.expected);
    lines.push_back(slice + "]");
  }
  return lines;
}

std::vector<std::string> LayoutLines(Convention convention, bool transposed, size_t rank) {
  static const char* kSpatial[3][3] = {{"kL"}, {"kH", "kW"}, {"kD", "kH", "kW"}};
  if (rank < 1 || rank > 3) return {};
  std::string k, perm = "(" + std::to_string(rank + 1) + ", " + std::to_string(rank), xperm = "(0, " + std::to_string(rank + 1);
  for (size_t i = 0; i < rank; ++i) {
    k += std::string(i ? ", " : "") + kSpatial[rank - 1][i];
    perm += ", " + std::to_string(i);
    xperm += ", " + std::to_string(i + 1);
  }
  perm += ")";
  xperm += ")";
  const std::string torch_layout = transposed ? "[in, out/groups, " + k + "]" : "[out, in/groups, " + k + "]";
  switch (convention) {
    case Convention::kOnnxNotSet:
    case Convention::kOnnxSameUpper:
    case Convention::kOnnxSameLower:
    case Convention::kOnnxValid:
      return {"weight: ONNX " + torch_layout + " is already PyTorch's layout; copy it as is",
              "input: ONNX is channels-first (N, C, ...), as PyTorch"};
    case Convention::kTfSame:
    case Convention::kTfValid:
    case Convention::kKerasSame:
    case Convention::kKerasValid: {
      const std::string tf = transposed ? "[" + k + ", out, in]" : "[" + k + ", in, out]";
      return {"weight = torch.from_numpy(kernel).permute" + perm + "  # TF/Keras " + tf + " → PyTorch " + torch_layout,
              "x = x.permute" + xperm + "  # TF/Keras channels_last (N, ..., C) → PyTorch (N, C, ...)"};
    }
  }
  return {};
}

}  // namespace convcheck
