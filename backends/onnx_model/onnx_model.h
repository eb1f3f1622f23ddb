// One-node ONNX models built with ONNX's C++ protobuf API (libonnx-dev): the onnx plugin runs
// shape inference on them, the opencv plugin serializes them for cv::dnn::readNetFromONNX.
// Needs the ONNX headers (ONNX_NAMESPACE=onnx, ONNX_ML=1, as ONNX's CMake package sets them).
#pragma once

#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "backends/onnx_model/onnx_geometry.h"

namespace convcheck {

// The opset the models import: Conv-11 and ConvTranspose-11 are the versions whose geometry
// (auto_pad, pads, output_padding, output_shape) holds through opset 22.
inline constexpr int kOnnxOpset = 11;

// Values for W and B as initializers (row-major float32); empty: W and B are graph inputs with
// shapes only (enough for shape inference).
struct OnnxWeights {
  std::vector<float> w;
  std::vector<float> b;
};

// Graph "convcheck": input X (and W, B unless `weights` holds them), one node, output Y with
// the element type and symbolic sizes y0, y1, ... (shape inference fills them in).
onnx::ModelProto BuildOnnxModel(const OnnxNode& node, const OnnxWeights& weights = {});

}  // namespace convcheck
