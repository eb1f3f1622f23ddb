// The opencv backend: OpenCV's DNN engine (libopencv-dnn-dev) imports the case's one-node ONNX
// model (backends/onnx_model, weights as initializers) with cv::dnn::readNetFromONNX and runs
// it. Shapes: the output blob's sizes, or OpenCV's exception. Values: the same forward on the
// case's data, float32 (OpenCV DNN's CPU precision), judged against the float64 reference by
// the numeric properties. No gradients: OpenCV DNN is inference only.
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
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
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override { return RunPaddedEach(*this, calls); }
};

// Writes all of `n` bytes (a child's answer to its parent).
void WriteAll(int fd, const void* p, size_t n) {
  const char* b = static_cast<const char*>(p);
  while (n > 0) {
    const ssize_t w = write(fd, b, n);
    if (w <= 0) return;
    b += w;
    n -= static_cast<size_t>(w);
  }
}

// The numeric properties run their backend in the convcheck process itself, and OpenCV 4.6
// crashes (SIGFPE, heap corruption) on some valid models: each forward runs in a forked child
// that sends back kind, message, shape and values, so a crash is that case's refusal, not the
// end of the run.
NumericOutcome IsolatedForward(const ConvCase& c, const CaseData& data) {
  int fds[2];
  if (pipe(fds) != 0) return NumericOutcome::Rejected("opencv: pipe failed");
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return NumericOutcome::Rejected("opencv: fork failed");
  }
  if (pid == 0) {
    close(fds[0]);
    alarm(120);  // a hung forward ends as SIGALRM, reported below
    cv::setNumThreads(0);
    DoubleTensor y;
    bool skipped = false;
    const std::string err = Forward(c, nullptr, &data, &y.shape, &y.data, &skipped);
    const int64_t head[4] = {skipped ? 1 : !err.empty() ? 2 : 0, static_cast<int64_t>(err.size()),
                             static_cast<int64_t>(y.shape.size()), static_cast<int64_t>(y.data.size())};
    WriteAll(fds[1], head, sizeof(head));
    WriteAll(fds[1], err.data(), err.size());
    WriteAll(fds[1], y.shape.data(), y.shape.size() * sizeof(int64_t));
    WriteAll(fds[1], y.data.data(), y.data.size() * sizeof(double));
    _exit(0);
  }
  close(fds[1]);
  std::string bytes;
  char buf[1 << 16];
  for (ssize_t n; (n = read(fds[0], buf, sizeof(buf))) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    bytes.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  if (WIFSIGNALED(status)) {
    return NumericOutcome::Rejected("opencv crashed: " + std::string(strsignal(WTERMSIG(status))) + " (forward in a forked child)");
  }
  int64_t head[4];
  if (bytes.size() < sizeof(head)) return NumericOutcome::Rejected("opencv: the forward's child sent no answer");
  std::memcpy(head, bytes.data(), sizeof(head));
  const size_t need = sizeof(head) + static_cast<size_t>(head[1]) + static_cast<size_t>(head[2]) * sizeof(int64_t) +
                      static_cast<size_t>(head[3]) * sizeof(double);
  if (head[1] < 0 || head[2] < 0 || head[3] < 0 || bytes.size() != need) return NumericOutcome::Rejected("opencv: truncated answer from the forward's child");
  const char* p = bytes.data() + sizeof(head);
  const std::string err(p, static_cast<size_t>(head[1]));
  p += head[1];
  if (head[0] == 1) return NumericOutcome::Skipped(err);
  if (head[0] == 2) return NumericOutcome::Rejected(err);
  NumericOutcome out;
  out.output.shape.resize(static_cast<size_t>(head[2]));
  std::memcpy(out.output.shape.data(), p, out.output.shape.size() * sizeof(int64_t));
  p += out.output.shape.size() * sizeof(int64_t);
  out.output.data.resize(static_cast<size_t>(head[3]));
  std::memcpy(out.output.data.data(), p, out.output.data.size() * sizeof(double));
  return out;
}

const BackendCapabilities& Capabilities();

class OpenCvNumeric final : public NumericBackend {
 public:
  std::string Name() const override { return std::string("opencv ") + CV_VERSION; }
  bool DeviceAvailable(Device device) const override { return device == Device::kCpu; }
  // The numeric properties call this directly, not through CapableBackend: the same declaration
  // decides here (a float64 case is not OpenCV's to compute).
  NumericOutcome Forward(const ConvCase& c, const CaseData& data) override {
    if (auto why = Unsupported(Capabilities(), "opencv", c)) return NumericOutcome::Skipped(*why);
    return IsolatedForward(c, data);
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

const BackendCapabilities& Capabilities() {
  static const BackendCapabilities caps = [] {
  BackendCapabilities caps = AllCapabilities();
  caps.ops = ConvolutionOps();  // its model builder writes Conv and ConvTranspose nodes only
  caps.dtypes = {DType::kFloat32};  // OpenCV DNN's CPU backend computes in float32
  caps.padding_modes = {PaddingMode::kZeros};
  caps.devices = {Device::kCpu};
  caps.unbatched = false;
  caps.onnx_geometry = true;  // the model builder writes auto_pad, begin/end pads and output_shape
  caps.lacks = {"GradientIsTranspose", "DevicesAgree"};
  caps.note = "OpenCV DNN runs the one-node ONNX model (cv::dnn::readNetFromONNX), float32, no gradients";
  return caps;
  }();
  return caps;
}

const PluginV1 kPlugin = {kPluginAbiVersion, CONVCHECK_PLUGIN_BUILD_ID, "opencv", CV_VERSION,
                          &MakeBackend, &MakeNumeric, nullptr, &Capabilities(), nullptr};

}  // namespace
}  // namespace convcheck

extern "C" __attribute__((visibility("default"))) const convcheck::PluginV1* convcheck_plugin_v1() {
  return &convcheck::kPlugin;
}
