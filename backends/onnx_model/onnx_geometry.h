// A convcheck case in ONNX terms (opset 11 Conv / ConvTranspose, whose geometry is unchanged
// through opset 22: onnx/defs/nn/defs.cc), for every backend that runs ONNX models (the onnx
// shape-inference plugin, the opencv plugin). Framework-free: the protobuf half is onnx_model.h.
// A case ONNX cannot express, or one only a PyTorch rule refuses, is refused here with the reason
// (the backend turns it into a skip), so ONNX engines are judged by rules ONNX shares.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "oracles/conv_case.h"
#include "oracles/output_shape.h"  // PadPair

namespace convcheck {

struct OnnxNode {
  std::string op_type;          // "Conv" or "ConvTranspose"
  Dims x;                       // X's shape [N, C, *spatial]
  Dims w;                       // W's shape: Conv [M, C/group, *k], ConvTranspose [C, M/group, *k]
  std::optional<int64_t> bias;  // B's length when the node has a bias input
  int elem_type = 1;            // onnx::TensorProto_DataType: FLOAT 1, FLOAT16 10, DOUBLE 11
  std::string auto_pad;         // "" (attribute absent: NOTSET), "SAME_UPPER", ...
  Dims kernel_shape;            // empty: attribute absent (ONNX infers it from W)
  Dims strides, dilations;
  Dims pads;                    // [begin..., end...]; empty: attribute absent
  Dims output_padding;          // ConvTranspose only; empty: absent
  Dims output_shape;            // ConvTranspose only, spatial sizes; empty: absent
  int64_t group = 1;
};

// The node for `c`: a case in ONNX terms (ConvCase::auto_pad) gives its auto_pad (absent for
// NOTSET), its begin and end pads (omitted under SAME/VALID unless the case sets some) and
// output_shape as they are. With `pads`, the explicit (left, right) amounts of Backend::RunPadded (a conv
// pads by them instead of c.padding; a transposed conv crops them after c.padding, which ONNX's
// ConvTranspose pads express directly). nullopt with the reason in `why` when ONNX cannot say it.
std::optional<OnnxNode> ToOnnxNode(const ConvCase& c, const std::vector<PadPair>* pads, std::string* why);

}  // namespace convcheck
