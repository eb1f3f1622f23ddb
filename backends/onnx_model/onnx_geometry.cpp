#include "backends/onnx_model/onnx_geometry.h"

#include <algorithm>

namespace convcheck {
namespace {

int ElemType(DType t) {
  switch (t) {
    case DType::kFloat32: return 1;
    case DType::kFloat16: return 10;
    case DType::kFloat64: return 11;
    case DType::kBFloat16: return 16;
  }
  return 0;
}

// auto_pad, pads and output_shape of a case in ONNX terms, as given: the engines are judged
// by ONNX's rules on exactly what the case says (oracles/onnx_shape.h).
void SetOnnxGeometry(const ConvCase& c, OnnxNode* n) {
  if (*c.auto_pad != AutoPad::kNotSet) n->auto_pad = AutoPadName(*c.auto_pad);
  const Dims& end = PaddingEnd(c);
  const bool any = std::any_of(c.padding.begin(), c.padding.end(), [](int64_t p) { return p != 0; }) ||
                   std::any_of(end.begin(), end.end(), [](int64_t p) { return p != 0; });
  if (*c.auto_pad == AutoPad::kNotSet || any) {
    n->pads = c.padding;
    n->pads.insert(n->pads.end(), end.begin(), end.end());
  }
  if (c.output_shape) n->output_shape = *c.output_shape;
}

}  // namespace

std::optional<OnnxNode> ToOnnxNode(const ConvCase& c, const std::vector<PadPair>* pads, std::string* why) {
  const bool transposed = IsTransposed(c.op);
  const size_t r = static_cast<size_t>(SpatialRank(c.op));
  if (c.padding_mode != PaddingMode::kZeros) {
    *why = std::string("ONNX Conv pads with zeros only; padding_mode ") + PaddingModeName(c.padding_mode) + " is PyTorch's";
    return std::nullopt;
  }
  if (!IsBatched(c)) {
    *why = "ONNX Conv takes (N, C, D1, ...) only; an unbatched input is PyTorch's";
    return std::nullopt;
  }
  if (c.dtype == DType::kBFloat16) {
    *why = "ONNX Conv/ConvTranspose accept bfloat16 only from opset 22 (this model is opset 11)";
    return std::nullopt;
  }
  if (c.padding_kind == PaddingKind::kSame && (transposed || std::any_of(c.stride.begin(), c.stride.end(), [](int64_t s) { return s != 1; }))) {
    // PyTorch refuses padding="same" with a stride (or on a transposed conv); ONNX's SAME_UPPER
    // is defined for every stride, so PyTorch's refusal says nothing about ONNX.
    *why = "PyTorch-only rule: padding=\"same\" with stride != 1 or on a transposed conv (ONNX SAME_UPPER has no such limit)";
    return std::nullopt;
  }
  if (transposed && !c.weight_shape && c.groups > 0 && c.out_channels % c.groups != 0) {
    *why = "PyTorch-only rule: out_channels % groups != 0 has no weight, so no ONNX W to give";
    return std::nullopt;
  }
  const Dims x = SpatialInput(c);
  if (c.input.size() >= 2 && c.input[0] > 0 && c.input[1] > 0 && std::find(x.begin(), x.end(), 0) != x.end()) {
    // PyTorch refuses a zero-sized spatial dim in a non-empty batch; ONNX tensors may have
    // zero-sized dims and its Conv text sets no such limit.
    *why = "PyTorch-only rule: a zero-sized spatial dim (ONNX allows zero-sized dims)";
    return std::nullopt;
  }
  if (c.kernel.size() != r || c.stride.size() != r || c.dilation.size() != r || c.padding.size() != r ||
      PaddingEnd(c).size() != r || (c.output_shape && c.output_shape->size() != r) || (pads && pads->size() != r)) {
    *why = "per-dim fields do not have the op's rank";
    return std::nullopt;
  }
  OnnxNode n;
  n.op_type = transposed ? "ConvTranspose" : "Conv";
  n.x = c.input;
  n.w = WeightShape(c);
  n.elem_type = ElemType(c.dtype);
  n.group = c.groups;
  n.strides = c.stride;
  n.dilations = c.dilation;
  // kernel_shape is optional (inferred from W) but OpenCV's importer needs it; it is W's spatial
  // dims, as PyTorch takes the kernel from the weight.
  if (n.w.size() == r + 2) n.kernel_shape.assign(n.w.begin() + 2, n.w.end());
  if (c.bias && n.w.size() >= 2) n.bias = transposed ? n.w[1] * c.groups : n.w[0];
  if (IsOnnxGeometry(c)) {
    if (pads) {
      *why = "RunPadded's explicit pads are PyTorch geometry; this case is in ONNX terms";
      return std::nullopt;
    }
    SetOnnxGeometry(c, &n);
  } else if (c.padding_kind == PaddingKind::kSame && !pads) {
    n.auto_pad = "SAME_UPPER";  // stride 1: total d(k−1), the odd element after, as PyTorch's "same"
  } else {
    n.pads.assign(2 * r, 0);
    for (size_t i = 0; i < r; ++i) {
      const int64_t p = c.padding_kind == PaddingKind::kExplicit ? c.padding[i] : 0;
      if (pads && !transposed) {
        n.pads[i] = (*pads)[i].left;
        n.pads[i + r] = (*pads)[i].right;
      } else {
        n.pads[i] = p + (pads ? (*pads)[i].left : 0);
        n.pads[i + r] = p + (pads ? (*pads)[i].right : 0);
      }
    }
  }
  if (transposed) {
    if (c.output_padding.size() != r) {
      *why = "output_padding does not have the op's rank";
      return std::nullopt;
    }
    n.output_padding = c.output_padding;
  }
  return n;
}

}  // namespace convcheck
