#include "oracles/pool_conventions.h"

#include <algorithm>

#include "oracles/int128.h"
#include "oracles/layer_ops.h"
#include "oracles/layer_shape.h"

namespace convcheck {
namespace {

// Sources, per rule:
//  - TF: tensorflow/core/framework/kernel_shape_util.cc GetWindowedOutputSizeVerbose (SAME:
//    out = ceil(x/s), pad total = max((out−1)s + k − x, 0), the odd element after; VALID:
//    out = ceil((x − k + 1)/s)); tf.nn.avg_pool averages over the valid elements only
//    (tensorflow/core/kernels/avgpooling_op.cc divides by the in-bounds count).
//  - Keras: keras/utils/conv_utils.py conv_output_length (same: ceil(x/s); valid:
//    ceil((x − k + 1)/s)), which Pooling1D/2D/3D.compute_output_shape call; TF runs the op.
//  - ONNX: onnx/defs/nn/defs.cc convPoolShapeInference (SAME pads from x mod s: total =
//    E − (x mod s) or E − s, the odd element after for SAME_UPPER, before for SAME_LOWER;
//    out = floor((x + pads − E + (ceil ? s−1 : 0))/s) + 1, minus one when ceil_mode's last
//    window starts at or past x + pad_begin — the rule onnx/onnx#5741 added in ONNX 1.16; before
//    it the inference kept that window); onnx/reference/ops/op_pool_common.py pool(): an
//    AveragePool with count_include_pad=1 takes np.mean over the whole window of the
//    zero-padded input (divisor = kernel size), with 0 the sum over the non-pad elements / their
//    count; MaxPool ignores pads.
i128 Extent(const ForeignDim& d) { return static_cast<i128>(d.dilation) * (d.kernel - 1) + 1; }
i128 CeilDiv(i128 a, i128 b) { return FloorDiv(a + b - 1, b); }
std::string S(i128 v) { return ToString(v); }

bool IsTfLike(Convention c) {
  return c == Convention::kTfSame || c == Convention::kTfValid || c == Convention::kKerasSame ||
         c == Convention::kKerasValid;
}

struct Geometry {
  i128 expected = 0;
  i128 begin = 0, end = 0;  // the other framework's pads
  std::optional<i128> legacy;
  std::string formula;
};

// TF/Keras and ONNX SAME: total = max((ceil(x/s)−1)s + E − x, 0). ONNX computes it from x mod s
// (E − residue, or E − s when s divides x), which is the same number.
void SamePads(const ForeignDim& d, bool extra_before, Geometry* g) {
  const i128 out = CeilDiv(d.input, d.stride);
  const i128 total = std::max<i128>((out - 1) * d.stride + Extent(d) - d.input, 0);
  const i128 small = total / 2;
  g->begin = extra_before ? total - small : small;
  g->end = total - g->begin;
  g->formula = "pad total = max((ceil(" + std::to_string(d.input) + "/" + std::to_string(d.stride) + ")−1)·" +
               std::to_string(d.stride) + " + " + S(Extent(d)) + " − " + std::to_string(d.input) + ", 0) = " + S(total) +
               " → before " + S(g->begin) + ", after " + S(g->end) + "; ";
}

// ONNX's output size for pads (begin, end), with ceil_mode's last-window rule.
void OnnxOutput(const ForeignDim& d, bool ceil, Geometry* g) {
  const i128 span = static_cast<i128>(d.input) + g->begin + g->end - Extent(d);
  i128 out = FloorDiv(span + (ceil ? d.stride - 1 : 0), d.stride) + 1;
  const i128 kept = out;
  if (ceil && (out - 1) * d.stride >= static_cast<i128>(d.input) + g->begin) --out;
  if (kept != out) g->legacy = kept;
  g->expected = out;
  g->formula += "out = " + std::string(ceil ? "ceil" : "floor") + "((" + std::to_string(d.input) + " + " + S(g->begin) +
                " + " + S(g->end) + " − " + S(Extent(d)) + ")/" + std::to_string(d.stride) + ") + 1" +
                (kept != out ? " − 1 (the last window would start in the end padding)" : "") + " = " + S(out);
}

std::string ForeignGeometry(Convention cv, const ForeignPool& p, const ForeignDim& d, Geometry* g) {
  if (IsTfLike(cv)) {
    if (d.dilation != 1) return "tf/keras pooling has no dilation";
    if (p.ceil_mode) return "tf/keras pooling has no ceil_mode";
    if (cv == Convention::kTfSame || cv == Convention::kKerasSame) {
      SamePads(d, false, g);
      g->expected = CeilDiv(d.input, d.stride);
      g->formula += "out = ceil(" + std::to_string(d.input) + "/" + std::to_string(d.stride) + ") = " + S(g->expected);
      return "";
    }
    if (d.input < d.kernel) return "VALID needs input " + std::to_string(d.input) + " >= pool size " + std::to_string(d.kernel);
    g->expected = CeilDiv(static_cast<i128>(d.input) - d.kernel + 1, d.stride);
    g->formula = "out = ceil((" + std::to_string(d.input) + " − " + std::to_string(d.kernel) + " + 1)/" +
                 std::to_string(d.stride) + ") = " + S(g->expected);
    return "";
  }
  if (p.kind == PoolKind::kAvg && d.dilation != 1) {
    return "AveragePool dilations (opset 19) have no PyTorch avg_pool counterpart";
  }
  if (cv == Convention::kOnnxSameUpper || cv == Convention::kOnnxSameLower) {
    SamePads(d, cv == Convention::kOnnxSameLower, g);
  } else if (cv == Convention::kOnnxNotSet) {
    g->begin = d.pad_begin;
    g->end = d.pad_end;
  }
  OnnxOutput(d, p.ceil_mode, g);
  if (g->expected < 1) return "output size " + S(g->expected) + " is not positive";
  return "";
}

// The torch pool that a recipe runs, checked by the oracle itself (PyTorch's parameter rules,
// avg_pool3d's input >= kernel): the output per dim, or nullopt when PyTorch refuses it.
std::optional<Dims> TorchPoolOutput(const ForeignPool& p, const std::vector<ForeignDim>& dims,
                                    const PoolConversion& c) {
  const int rank = static_cast<int>(dims.size());
  ConvCase t = DefaultCase(MakeLayerOp(p.kind == PoolKind::kMax ? OpFamily::kMaxPool : OpFamily::kAvgPool, rank), {1, 1}, 1);
  for (size_t i = 0; i < dims.size(); ++i) {
    const i128 x = static_cast<i128>(dims[i].input) + c.dims[i].pre_pad.left + c.dims[i].pre_pad.right;
    if (!FitsInt64(x)) return std::nullopt;
    t.input.push_back(static_cast<int64_t>(x));
    t.kernel[i] = dims[i].kernel;
    t.stride[i] = dims[i].stride;
    t.padding[i] = c.dims[i].padding;
    t.dilation[i] = p.kind == PoolKind::kMax ? dims[i].dilation : 1;
  }
  t.ceil_mode = c.ceil_mode;
  t.count_include_pad = c.count_include_pad;
  const ShapeResult r = LayerOutputShape(t);
  if (!r.ok()) return std::nullopt;
  return Dims(r.shape().end() - rank, r.shape().end());
}

// Fills torch_output and crop_end from the oracle; false when PyTorch refuses the pool or makes
// fewer windows than the other framework in some dim.
bool Settle(const ForeignPool& p, const std::vector<ForeignDim>& dims, PoolConversion* c) {
  const std::optional<Dims> out = TorchPoolOutput(p, dims, *c);
  if (!out) return false;
  for (size_t i = 0; i < dims.size(); ++i) {
    PoolDimRecipe& r = c->dims[i];
    if ((*out)[i] < r.expected) return false;
    r.torch_output = (*out)[i];
    r.crop_end = r.torch_output - r.expected;
  }
  return true;
}

int64_t TotalCrop(const PoolConversion& c) {
  int64_t n = 0;
  for (const PoolDimRecipe& r : c.dims) n += r.crop_end;
  return n;
}

// One PyTorch pool with padding = the pad before; the ceil_mode with the fewest cropped outputs.
std::optional<PoolConversion> Direct(const ForeignPool& p, const std::vector<ForeignDim>& dims, PoolConversion c) {
  for (size_t i = 0; i < dims.size(); ++i) {
    if (c.dims[i].pads.left > dims[i].kernel / 2) return std::nullopt;  // PyTorch: pad <= kernel/2
    c.dims[i].padding = c.dims[i].pads.left;
  }
  c.style = PoolRecipeStyle::kDirect;
  c.count_include_pad = p.count_include_pad;
  std::optional<PoolConversion> best;
  for (bool ceil : {false, true}) {
    PoolConversion t = c;
    t.ceil_mode = ceil;
    if (!Settle(p, dims, &t)) continue;
    // ONNX count_include_pad=1 divides every window by the kernel size; PyTorch clips a window
    // that runs past x + padding, so a clipped kept window makes the direct recipe inexact.
    bool clipped = false;
    for (size_t i = 0; i < dims.size(); ++i) {
      const i128 last_end = (static_cast<i128>(t.dims[i].expected) - 1) * dims[i].stride - t.dims[i].padding + dims[i].kernel;
      clipped = clipped || last_end > static_cast<i128>(dims[i].input) + t.dims[i].padding;
    }
    if (p.kind == PoolKind::kAvg && p.count_include_pad && clipped) continue;
    if (!best || TotalCrop(t) < TotalCrop(*best)) best = t;
  }
  return best;
}

// F.pad then a pool without padding. Max: −inf pads, the other framework's pads exactly. Average
// whose pads count: zeros, the end pad grown until every kept window lies inside (divisor =
// kernel size). Average whose pads do not count: zeros, and the pooled mask divides.
std::optional<PoolConversion> PrePadded(const ForeignPool& p, const std::vector<ForeignDim>& dims, PoolConversion c) {
  const bool counted = p.kind == PoolKind::kAvg && p.count_include_pad;
  c.style = p.kind == PoolKind::kMax || counted ? PoolRecipeStyle::kPrePad : PoolRecipeStyle::kMaskedAverage;
  c.count_include_pad = true;
  for (size_t i = 0; i < dims.size(); ++i) {
    PoolDimRecipe& r = c.dims[i];
    r.padding = 0;
    r.pre_pad = r.pads;
    if (counted) {
      const i128 need = (static_cast<i128>(r.expected) - 1) * dims[i].stride + Extent(dims[i]) - dims[i].input - r.pads.left;
      if (!FitsInt64(need)) return std::nullopt;
      r.pre_pad.right = std::max<int64_t>(r.pads.right, static_cast<int64_t>(need));
    }
  }
  std::optional<PoolConversion> best;
  for (bool ceil : {false, true}) {
    if (counted && ceil) continue;  // every window already fits
    PoolConversion t = c;
    t.ceil_mode = ceil;
    if (Settle(p, dims, &t) && (!best || TotalCrop(t) < TotalCrop(*best))) best = t;
  }
  return best;
}

std::string Exactness(const ForeignPool& p, const PoolConversion& c, const std::string& fw) {
  switch (c.style) {
    case PoolRecipeStyle::kDirect:
      if (p.kind == PoolKind::kMax) return "exact: the same windows, and PyTorch's padding never wins a max";
      return p.count_include_pad ? "exact: the same windows, each inside the padded input, so PyTorch divides by the kernel size as " + fw + " does"
                                 : "exact: the same windows; count_include_pad=False divides by the real elements only, as " + fw + " does";
    case PoolRecipeStyle::kPrePad:
      return p.kind == PoolKind::kMax ? "exact: the same windows; −inf padding never wins a max"
                                      : "exact: zero pads, every window inside the padded input, divided by the kernel size as " + fw + " does";
    case PoolRecipeStyle::kMaskedAverage:
      return "exact up to float rounding: the sum over the real elements / their count, as the ratio of two averages over "
             "the same windows (count_include_pad=False cannot exclude F.pad's zeros, and no single PyTorch pool has " + fw + "'s windows)";
  }
  return "";
}

void AddNotes(Convention cv, const ForeignPool& p, const std::vector<ForeignDim>& dims, PoolConversion* c) {
  for (size_t i = 0; i < dims.size(); ++i) {
    const PoolDimRecipe& r = c->dims[i];
    if (r.legacy_ceil_output) {
      c->notes.push_back("dim " + std::to_string(i) + ": ONNX before 1.16 (onnx/onnx#5741) and onnxruntime infer " +
                         std::to_string(*r.legacy_ceil_output) + " here, keeping a last window that starts in the end padding");
    }
    const i128 last_start = (static_cast<i128>(r.expected) - 1) * dims[i].stride - r.pads.left;
    if (last_start >= dims[i].input || r.pads.left >= Extent(dims[i])) {
      c->notes.push_back("dim " + std::to_string(i) + ": a window lies entirely in the padding: ONNX gives nan (average) or the "
                         "lowest value (max) there, the recipe nan or −inf");
    }
  }
  for (size_t i = 0; i < dims.size() && p.ceil_mode && !IsTfLike(cv); ++i) {
    const PoolDimRecipe& r = c->dims[i];
    const i128 overhang = (static_cast<i128>(r.expected) - 1) * dims[i].stride + Extent(dims[i]) - dims[i].input - r.pads.left - r.pads.right;
    if (overhang < 2) continue;
    c->notes.push_back("dim " + std::to_string(i) + ": onnx's reference implementation (op_pool_common.py) spreads a ceil-mode "
                       "overhang of " + S(overhang) + " over both ends, shifting its windows; the recipe follows the operator's definition");
  }
}

}  // namespace

const char* PoolRecipeStyleName(PoolRecipeStyle s) {
  switch (s) {
    case PoolRecipeStyle::kDirect: return "direct";
    case PoolRecipeStyle::kPrePad: return "pre_pad";
    case PoolRecipeStyle::kMaskedAverage: return "masked_average";
  }
  return "?";
}

PoolConversion PoolToTorch(Convention convention, const ForeignPool& foreign, const std::vector<ForeignDim>& dims) {
  ForeignPool pool = foreign;
  if (IsTfLike(convention)) pool.count_include_pad = false;  // TF averages over the valid elements only
  PoolConversion c;
  if (dims.empty() || dims.size() > 3) {
    c.error = "pooling takes 1 to 3 spatial dims";
    return c;
  }
  for (size_t i = 0; i < dims.size() && c.ok(); ++i) {
    const ForeignDim& d = dims[i];
    if (d.input < 1 || d.kernel < 1 || d.stride < 1 || d.dilation < 1 || d.pad_begin < 0 || d.pad_end < 0) {
      c.error = "dim " + std::to_string(i) + ": sizes, kernel, stride, dilation must be >= 1 and pads >= 0";
      break;
    }
    Geometry g;
    const std::string err = ForeignGeometry(convention, pool, d, &g);
    if (!err.empty() || !FitsInt64(g.expected) || !FitsInt64(g.begin) || !FitsInt64(g.end)) {
      c.error = "dim " + std::to_string(i) + ": " + (err.empty() ? "overflow: a size exceeds int64" : err);
      break;
    }
    PoolDimRecipe r;
    r.expected = static_cast<int64_t>(g.expected);
    r.pads = {static_cast<int64_t>(g.begin), static_cast<int64_t>(g.end)};
    if (g.legacy) r.legacy_ceil_output = static_cast<int64_t>(*g.legacy);
    r.formula = g.formula;
    c.dims.push_back(r);
  }
  if (!c.ok()) return c;
  const std::string fw = IsTfLike(convention) ? "TF" : "ONNX";
  std::optional<PoolConversion> made = Direct(pool, dims, c);
  if (!made) made = PrePadded(pool, dims, c);
  if (!made) {
    c.error = "no PyTorch pool reaches " + fw + "'s output: PyTorch refuses every recipe (e.g. avg_pool3d needs input >= kernel)";
    return c;
  }
  made->exactness = Exactness(pool, *made, fw);
  AddNotes(convention, pool, dims, &*made);
  return *made;
}

}  // namespace convcheck
