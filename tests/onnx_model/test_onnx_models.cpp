// ONNX geometry convcheck's case cannot carry yet (auto_pad on a transposed conv, a Conv without
// kernel_shape), run straight through the model builder: ONNX 1.12's own shape inference and
// OpenCV 4.6's importer against the operator text (opset 11; onnx/defs/nn/defs.cc). These pin
// the divergences the issue measured, with the engines' exact answers: when one fails, that
// engine changed — update the hand-over and the known deviations.
#include <gtest/gtest.h>

#include <iostream>

#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#ifdef CONVCHECK_TEST_OPENCV
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/dnn.hpp>
#endif

#include "backends/onnx_model/onnx_model.h"

namespace convcheck {
namespace {

OnnxNode Transposed(const std::string& auto_pad, int64_t k, Dims output_padding = {}) {
  OnnxNode n;
  n.op_type = "ConvTranspose";
  n.x = {1, 1, 12, 12};
  n.w = {1, 1, k, k};
  n.kernel_shape = {k, k};
  n.strides = {2, 2};
  n.auto_pad = auto_pad;
  n.output_padding = std::move(output_padding);
  return n;
}

Dims Inferred(const OnnxNode& n) {
  onnx::ModelProto m = BuildOnnxModel(n);
  onnx::checker::check_model(m);
  onnx::shape_inference::InferShapes(m, onnx::OpSchemaRegistry::Instance(), onnx::ShapeInferenceOptions(true, 1, false));
  Dims out;
  for (const auto& d : m.graph().output(0).type().tensor_type().shape().dim()) out.push_back(d.has_dim_value() ? d.dim_value() : -1);
  return out;
}

TEST(OnnxModels, Onnx112InferenceOfConvTransposeSameUpper) {
  // Spec: SAME_UPPER makes output = x·s = 24 whatever the kernel and output_padding.
  EXPECT_EQ(Inferred(Transposed("SAME_UPPER", 3)), (Dims{1, 1, 24, 24}));
  // Divergences of ONNX's own inference (total pad max(E − s, 0), output_padding added after):
  EXPECT_EQ(Inferred(Transposed("SAME_UPPER", 1)), (Dims{1, 1, 23, 23}));          // spec: 24
  EXPECT_EQ(Inferred(Transposed("SAME_UPPER", 3, {1, 1})), (Dims{1, 1, 25, 25}));  // spec: 24
}

#ifdef CONVCHECK_TEST_OPENCV
Dims OpenCvShape(const OnnxNode& n, std::string* error) {
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
  OnnxWeights w;
  w.w.assign(static_cast<size_t>(n.w[0] * n.w[1] * n.w[2] * n.w[3]), 1.f);
  std::string bytes;
  BuildOnnxModel(n, w).SerializeToString(&bytes);
  try {
    cv::dnn::Net net = cv::dnn::readNetFromONNX(bytes.data(), bytes.size());
    std::vector<int> sizes(n.x.begin(), n.x.end());
    net.setInput(cv::Mat(4, sizes.data(), CV_32F, cv::Scalar(1)), "X");
    const cv::Mat y = net.forward();
    return Dims(y.size.p, y.size.p + y.dims);
  } catch (const std::exception& e) {
    *error = e.what();
    return {};
  }
}

TEST(OnnxModels, OpenCv46ConvTransposeSameUpperGives23NotTheSpecs24) {
  std::string error;
  EXPECT_EQ(OpenCvShape(Transposed("SAME_UPPER", 3), &error), (Dims{1, 1, 23, 23})) << error;  // spec: 24
}

TEST(OnnxModels, OpenCv46RefusesAConvWithoutKernelShape) {
  OnnxNode n;
  n.op_type = "Conv";
  n.x = {1, 1, 24, 24};
  n.w = {1, 1, 3, 3};
  n.strides = {2, 2};
  n.pads = {1, 1, 1, 1};  // kernel_shape omitted: optional in ONNX, inferred from W
  EXPECT_EQ(Inferred(n), (Dims{1, 1, 12, 12}));
  std::string error;
  EXPECT_TRUE(OpenCvShape(n, &error).empty());
  EXPECT_NE(error, "");
  std::cout << "OpenCV: " << error << "\n";
}
#endif

}  // namespace
}  // namespace convcheck
