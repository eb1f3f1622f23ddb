// The opencv backend: OpenCV's DNN engine (libopencv-dnn-dev) imports the case's one-node ONNX
// model (backends/onnx_model, weights as initializers) with cv::dnn::readNetFromONNX and runs
// it. Shapes: the output blob's sizes, or OpenCV's exception. Values: the same forward on the
// case's data, float32 (OpenCV DNN's CPU precision), judged against the float64 reference by
// the numeric properties. No gradients: OpenCV DNN is inference only.
#include <exception>
#include <memory>

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/dnn.hpp>

#include "backends/backend.h"
#include "backends/capabilities.h"
#include "backends/numeric_backend.h"
#include "backends/onnx_model/onnx_geometry.h"
#include "backends/onnx_model/onnx_model.h"
#include "backends/plugin/plugin_abi.h"

namespace convcheck {
namespace {

// Elements one forward may touch (input, weight, output each); a bigger case is skipped with
// the reason: OpenCV has no size-only mode, it allocates and computes.
constexpr int64_t kWorkCap = int64_t{1} << 22;

int64_t Elements(const Dims& d) {
  int64_t n = 1;
  for (int64_t v : d) {
    if (v < 0) return -1;
    if (v != 0 && n > kWorkCap * 64 / v) return kWorkCap * 64;
    n *= v;
  }
  return n;
}

std::vector<float> ToFloat(const std::vector<double>& v) { return std::vector<float>(v.begin(), v.end()); }

// Runs the node; `data` null: zeros (shape runs). Fills `out` (sizes, and values when asked).
std::string Forward(const ConvCase& c, const std::vector<PadPair>* pads, const CaseData* data, Dims* shape,
                    std::vector<double>* values, bool* skipped) {
  *skipped = false;
  std::string why;
  const std::optional<OnnxNode> node = ToOnnxNode(c, pads, &why);
  if (!node) {
    *skipped = true;
    return why;
  }
  const int64_t nx = Elements(node->x), nw = Elements(node->w);
  if (nx < 0 || nw < 0 || nx > kWorkCap || nw > kWorkCap) {
    *skipped = true;
    return "opencv: input or weight above the work cap (" + std::to_string(kWorkCap) + " elements)";
  }
  OnnxWeights weights;
  weights.w = data ? ToFloat(data->weight.data) : std::vector<float>(static_cast<size_t>(nw), 0.f);
  if (node->bias) weights.b = data && !data->bias.data.empty() ? ToFloat(data->bias.data) : std::vector<float>(static_cast<size_t>(std::max<int64_t>(*node->bias, 0)), 0.f);
  if (static_cast<int64_t>(weights.w.size()) != nw) {
    *skipped = true;
    return "opencv: the weight data does not match the weight shape";
  }
  if (nw == 0) weights.w.push_back(0.f);  // an empty initializer reads as "no weights"; OpenCV must see the shape
  const OnnxNode& n = *node;  // float32: the only dtype declared
  std::string bytes;
  BuildOnnxModel(n, weights).SerializeToString(&bytes);
  try {
    cv::dnn::Net net = cv::dnn::readNetFromONNX(bytes.data(), bytes.size());
    std::vector<int> sizes(n.x.begin(), n.x.end());
    cv::Mat x(static_cast<int>(sizes.size()), sizes.data(), CV_32F, cv::Scalar(0));
    if (data) {
      for (size_t i = 0; i < data->input.data.size() && i < x.total(); ++i) x.ptr<float>()[i] = static_cast<float>(data->input.data[i]);
    }
    net.setInput(x, "X");
    cv::Mat y = net.forward();
    shape->assign(y.size.p, y.size.p + y.dims);
    if (Elements(*shape) > kWorkCap) {
      *skipped = true;
      return "opencv: output above the work cap";
    }
    if (values) {
      values->assign(y.ptr<float>(), y.ptr<float>() + y.total());
    }
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

BackendOutcome Shape(const ConvCase& c, const std::vector<PadPair>* pads) {
  Dims shape;
  bool skipped = false;
  const std::string err = Forward(c, pads, nullptr, &shape, nullptr, &skipped);
  if (skipped) return BackendOutcome::Skipped(err);
  if (!err.empty()) return BackendOutcome::Rejected(err);
  return BackendOutcome::Shape(shape);
}

class OpenCvBackend final : public Backend {
 public:
  std::string Name() const override { return "opencv"; }
  std::string Version() const override { return CV_VERSION; }
  std::vector<Device> Devices() const override { return {Device::kCpu}; }
  BackendOutcome Run(const ConvCase& c) override { return Shape(c, nullptr); }
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override { return RunEach(*this, cases); }
  BackendOutcome RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) override { return Shape(c, &pads); }
};

class OpenCvNumeric final : public NumericBackend {
 public:
  std::string Name() const override { return std::string("opencv ") + CV_VERSION; }
  bool DeviceAvailable(Device device) const override { return device == Device::kCpu; }
  NumericOutcome Forward(const ConvCase& c, const CaseData& data) override {
    NumericOutcome out;
    bool skipped = false;
    const std::string err = convcheck::Forward(c, nullptr, &data, &out.output.shape, &out.output.data, &skipped);
    if (skipped) return NumericOutcome::Skipped(err);
    if (!err.empty()) return NumericOutcome::Rejected(err);
    return out;
  }
  NumericOutcome Gradients(const ConvCase&, const CaseData&, const DoubleTensor&) override {
    return NumericOutcome::Skipped("opencv: OpenCV DNN runs inference only (no gradients)");
  }
};

Backend* MakeBackend(int /*threads*/) {
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);  // its refusals come back as exceptions
  return new OpenCvBackend();
}
NumericBackend* MakeNumeric() {
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
  return new OpenCvNumeric();
}

BackendCapabilities Capabilities() {
  BackendCapabilities caps = AllCapabilities();
  caps.dtypes = {DType::kFloat32};  // OpenCV DNN's CPU backend computes in float32
  caps.padding_modes = {PaddingMode::kZeros};
  caps.devices = {Device::kCpu};
  caps.unbatched = false;
  caps.lacks = {"GradientIsTranspose", "DevicesAgree"};
  caps.note = "OpenCV DNN runs the one-node ONNX model (cv::dnn::readNetFromONNX), float32, no gradients";
  return caps;
}

const BackendCapabilities kCapabilities = Capabilities();

const PluginV1 kPlugin = {kPluginAbiVersion, CONVCHECK_PLUGIN_BUILD_ID, "opencv", CV_VERSION,
                          &MakeBackend, &MakeNumeric, nullptr, &kCapabilities};

}  // namespace
}  // namespace convcheck

extern "C" __attribute__((visibility("default"))) const convcheck::PluginV1* convcheck_plugin_v1() {
  return &convcheck::kPlugin;
}
