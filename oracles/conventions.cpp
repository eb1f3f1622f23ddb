#include "oracles/conventions.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "oracles/int128.h"

namespace convcheck {
namespace {

int64_t Extent(const ForeignDim& d) { return d.dilation * (d.kernel - 1) + 1; }
int64_t CeilDiv(int64_t a, int64_t b) { return static_cast<int64_t>(FloorDiv(static_cast<i128>(a) + b - 1, b)); }

std::string Upper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

// TF SAME / ONNX SAME_*: out = ceil(x/s), total = max((out−1)s + E − x, 0). TF and ONNX
// SAME_UPPER put the odd element after (tensorflow/core/framework/kernel_shape_util.cc,
// GetWindowedOutputSizeVerbose); ONNX SAME_LOWER puts it before (onnx/defs/nn/defs.cc).
DimRecipe SameConv(const ForeignDim& d, bool extra_before) {
  DimRecipe r;
  r.expected = CeilDiv(d.input, d.stride);
  const int64_t total = std::max<int64_t>((r.expected - 1) * d.stride + Extent(d) - d.input, 0);
  const int64_t small = total / 2;
  r.pre_pad = extra_before ? PadPair{total - small, small} : PadPair{small, total - small};
  std::ostringstream os;
  os << "out = ceil(" << d.input << "/" << d.stride << ") = " << r.expected << "; pad total = max(("
     << r.expected << "−1)·" << d.stride << " + " << Extent(d) << " − " << d.input << ", 0) = " << total
     << " → before " << r.pre_pad.left << ", after " << r.pre_pad.right;
  r.formula = os.str();
  return r;
}

// Folds the symmetric part of the pads into the conv's own padding.
void FoldConvPads(DimRecipe* r) {
  r->padding = std::min(r->pre_pad.left, r->pre_pad.right);
  r->pre_pad.left -= r->padding;
  r->pre_pad.right -= r->padding;
}

std::string ConvDim(Convention cv, const ForeignDim& d, DimRecipe* r) {
  const int64_t e = Extent(d);
  switch (cv) {
    case Convention::kTfSame: case Convention::kKerasSame: case Convention::kOnnxSameUpper:
      *r = SameConv(d, false);
      break;
    case Convention::kOnnxSameLower:
      *r = SameConv(d, true);
      break;
    case Convention::kTfValid: case Convention::kKerasValid: case Convention::kOnnxValid:
      if (d.input < e) return "VALID needs input " + std::to_string(d.input) + " >= kernel extent " + std::to_string(e);
      r->expected = CeilDiv(d.input - e + 1, d.stride);
      r->formula = "out = ceil((" + std::to_string(d.input) + " − " + std::to_string(e) + " + 1)/" + std::to_string(d.stride) + ") = " + std::to_string(r->expected);
      break;
    case Convention::kOnnxNotSet: {
      const i128 padded = static_cast<i128>(d.input) + d.pad_begin + d.pad_end;
      if (padded < e) return "padded input " + ToString(padded) + " is smaller than kernel extent " + std::to_string(e);
      r->expected = static_cast<int64_t>(ConvOutputSize(d.input, d.pad_begin, d.pad_end, d.kernel, d.stride, d.dilation));
      r->pre_pad = {d.pad_begin, d.pad_end};
      r->formula = "out = floor((" + std::to_string(d.input) + " + " + std::to_string(d.pad_begin) + " + " + std::to_string(d.pad_end) + " − " + std::to_string(e) + ")/" + std::to_string(d.stride) + ") + 1 = " + std::to_string(r->expected);
      break;
    }
  }
  FoldConvPads(r);
  return "";
}

// convT with padding 0 gives F = (x−1)s + E; the other framework's output is the window
// [head, head + out) of it (extended by output_padding when it runs past F).
std::string TransposeWindow(const ForeignDim& d, int64_t head, int64_t out, DimRecipe* r) {
  const i128 full = (static_cast<i128>(d.input) - 1) * d.stride + Extent(d);
  const i128 extra = std::max<i128>(0, head + static_cast<i128>(out) - full);
  if (extra >= std::max(d.stride, d.dilation)) {
    return "output size " + std::to_string(out) + " needs output_padding " + ToString(extra) +
           " >= max(stride, dilation): no PyTorch conv_transpose reaches it";
  }
  const i128 tail = full + extra - head - out;
  r->expected = out;
  r->output_padding = static_cast<int64_t>(extra);
  r->padding = static_cast<int64_t>(std::min<i128>(head, tail));
  r->crop = {head - r->padding, static_cast<int64_t>(tail) - r->padding};
  return "";
}

std::string TfTranspose(const ForeignDim& d, bool same, int64_t out, DimRecipe* r) {
  const auto [lo, hi] = TfTransposeAcceptedSizes(d, same);
  if (out < lo || out > hi) {
    return "tf.nn.conv_transpose rejects output size " + std::to_string(out) + ": for input " + std::to_string(d.input) +
           " it accepts " + std::to_string(lo) + ".." + std::to_string(hi);
  }
  const int64_t total = same ? std::max<int64_t>((d.input - 1) * d.stride + Extent(d) - out, 0) : 0;
  const std::string err = TransposeWindow(d, total / 2, out, r);
  r->formula = "accepted output sizes " + std::to_string(lo) + ".." + std::to_string(hi) + " (the forward conv maps each back to " + std::to_string(d.input) + "); chosen " + std::to_string(out);
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
      const int64_t len = KerasDeconvOutputLength(d, cv == Convention::kKerasSame);
      const std::string err = TfTranspose(d, cv == Convention::kKerasSame, len, r);
      r->formula = "deconv_output_length = " + std::to_string(len) + "; " + r->formula;
      return err;
    }
    default: break;
  }
  // ONNX ConvTranspose, as onnxruntime runs it (core/providers/cpu/nn/conv_transpose_attributes.h,
  // ComputeTransposePadAndOutputShape). Where the spec and the runtime disagree we follow the
  // runtime: with output_shape, SAME_UPPER puts the odd pad at the head (the spec says the
  // end); without it, SAME_* and VALID use no padding, out = (x−1)s + adj + E (the spec says x·s).
  if (d.output_shape) {
    const int64_t total = static_cast<int64_t>(std::max<i128>(0, full + op - *d.output_shape));
    const int64_t head = cv == Convention::kOnnxSameUpper ? total - total / 2 : total / 2;
    const std::string err = TransposeWindow(d, head, *d.output_shape, r);
    r->formula = "output_shape given: " + std::to_string(*d.output_shape) + ", pad total " + std::to_string(total) + ", head " + std::to_string(head);
    return err;
  }
  const bool explicit_pads = cv == Convention::kOnnxNotSet;
  const i128 out = full + op - (explicit_pads ? static_cast<i128>(d.pad_begin) + d.pad_end : 0);
  if (out <= 0 || !FitsInt64(out)) return "output size " + ToString(out) + " is not positive";
  const std::string err = TransposeWindow(d, explicit_pads ? d.pad_begin : 0, static_cast<int64_t>(out), r);
  r->formula = "out = (" + std::to_string(d.input) + "−1)·" + std::to_string(d.stride) + " + " + std::to_string(op) + " + " + std::to_string(Extent(d)) +
               (explicit_pads ? " − " + std::to_string(d.pad_begin) + " − " + std::to_string(d.pad_end) : "") + " = " + ToString(out);
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
  const int64_t base = (d.input - 1) * d.stride;
  if (same) return {base + 1, base + d.stride};
  return {base + Extent(d), base + Extent(d) + d.stride - 1};
}

int64_t KerasDeconvOutputLength(const ForeignDim& d, bool same) {
  const int64_t e = Extent(d);  // keras: filter_size + (filter_size − 1)(dilation − 1)
  if (!d.output_padding) {
    return same ? d.input * d.stride : d.input * d.stride + std::max<int64_t>(e - d.stride, 0);
  }
  const int64_t pad = same ? e / 2 : 0;
  return (d.input - 1) * d.stride + e - 2 * pad + *d.output_padding;
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
