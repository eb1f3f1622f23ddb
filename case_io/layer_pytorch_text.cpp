#include "case_io/layer_pytorch_text.h"

#include <sstream>

#include <nlohmann/json.hpp>

#include "oracles/layer_ops.h"
#include "oracles/layer_shape.h"

namespace convcheck {
namespace {

std::string Value(const Dims& d) {
  bool same = true;
  for (int64_t v : d) same = same && v == d.front();
  if (d.empty()) return "()";
  if (same) return std::to_string(d.front());
  std::ostringstream os;
  os << "(";
  for (size_t i = 0; i < d.size(); ++i) os << (i ? ", " : "") << d[i];
  os << ")";
  return os.str();
}

bool All(const Dims& d, int64_t v) {
  for (int64_t e : d) {
    if (e != v) return false;
  }
  return true;
}

// F.pad's pad list: last dim first, (left, right) each.
std::string PadList(const ConvCase& c) {
  const Dims x = SpatialInput(c);
  const Dims s = PoolStride(c);
  std::ostringstream os;
  os << "(";
  for (size_t i = x.size(); i-- > 0;) {
    const PadPair p = TfSamePoolPadding(x[i], c.kernel[i], s[i], c.dilation.size() > i ? c.dilation[i] : 1);
    os << p.left << ", " << p.right << (i ? ", " : "");
  }
  os << ")";
  return os.str();
}

std::string WindowPool(const ConvCase& c) {
  const bool max = FamilyOf(c.op) == OpFamily::kMaxPool;
  const int r = SpatialRank(c.op);
  std::ostringstream args;
  args << "kernel_size=" << Value(c.kernel);
  if (PoolStride(c) != c.kernel) args << ", stride=" << Value(PoolStride(c));
  if (c.padding_kind == PaddingKind::kSame) {
    if (max && !All(c.dilation, 1)) args << ", dilation=" << Value(c.dilation);
    const std::string pads = SpatialInput(c).size() == c.kernel.size() ? PadList(c) : "(TF SAME pads)";
    if (max) return "nn.Sequential(nn.ConstantPad" + std::to_string(r) + "d(" + pads + ", float('-inf')), nn.MaxPool" +
                    std::to_string(r) + "d(" + args.str() + "))  # TF SAME";
    return "F.avg_pool" + std::to_string(r) + "d(F.pad(x, " + pads + "), " + args.str() + ") / F.avg_pool" +
           std::to_string(r) + "d(F.pad(torch.ones_like(x), " + pads + "), " + args.str() + ")  # TF SAME: mean of the valid elements";
  }
  if (!All(c.padding, 0)) args << ", padding=" << Value(c.padding);
  if (max && !All(c.dilation, 1)) args << ", dilation=" << Value(c.dilation);
  if (c.ceil_mode) args << ", ceil_mode=True";
  if (!max && !c.count_include_pad) args << ", count_include_pad=False";
  if (!max && c.divisor_override) args << ", divisor_override=" << *c.divisor_override;
  return std::string(max ? "nn.MaxPool" : "nn.AvgPool") + std::to_string(r) + "d(" + args.str() + ")";
}

// A Python float literal, shortest round-trip spelling ("2.0", "0.29").
std::string Real(double v) { return nlohmann::json(v).dump(); }

std::string Reals(const std::vector<double>& d) {
  bool same = true;
  for (double v : d) same = same && v == d.front();
  if (same && !d.empty()) return Real(d.front());
  std::string out = "(";
  for (size_t i = 0; i < d.size(); ++i) out += (i ? ", " : "") + Real(d[i]);
  return out + (d.size() == 1 ? ",)" : ")");
}

// nn.MaxUnpoolNd has no output_size of its own: F.max_unpoolNd / forward take it.
std::string Unpool(const ConvCase& c) {
  std::ostringstream os;
  os << "nn.MaxUnpool" << SpatialRank(c.op) << "d(kernel_size=" << Value(c.kernel);
  if (PoolStride(c) != c.kernel) os << ", stride=" << Value(PoolStride(c));
  if (!All(c.padding, 0)) os << ", padding=" << Value(c.padding);
  os << ")";
  if (!c.output_size.empty()) os << "  # forward(x, indices, output_size=" << Value(c.output_size) << ")";
  return os.str();
}

std::string Upsample(const ConvCase& c) {
  std::ostringstream os;
  os << "nn.Upsample(";
  if (!c.output_size.empty()) os << "size=" << Value(c.output_size);
  if (!c.scale_factor.empty()) os << "scale_factor=" << Reals(c.scale_factor);
  os << ", mode='" << UpsampleModeName(c.upsample_mode) << "'";
  if (c.align_corners) os << ", align_corners=" << (*c.align_corners ? "True" : "False");
  os << ")";
  return os.str();
}

}  // namespace

std::string PyTorchLayerModule(const ConvCase& c) {
  const int r = SpatialRank(c.op);
  switch (FamilyOf(c.op)) {
    case OpFamily::kMaxPool:
    case OpFamily::kAvgPool: return WindowPool(c);
    case OpFamily::kAdaptiveAvgPool: return "nn.AdaptiveAvgPool" + std::to_string(r) + "d(" + Value(c.output_size) + ")";
    case OpFamily::kAdaptiveMaxPool: return "nn.AdaptiveMaxPool" + std::to_string(r) + "d(" + Value(c.output_size) + ")";
    case OpFamily::kFlatten:
      return c.start_dim == 1 && c.end_dim == -1 ? "nn.Flatten()"
                                                 : "nn.Flatten(" + std::to_string(c.start_dim) + ", " + std::to_string(c.end_dim) + ")";
    case OpFamily::kLinear: {
      const int64_t in = c.in_features ? *c.in_features : c.input.empty() ? 0 : c.input.back();
      return "nn.Linear(" + std::to_string(in) + ", " + std::to_string(c.out_features) + (c.bias ? "" : ", bias=False") + ")";
    }
    case OpFamily::kBatchNorm: {
      const int64_t n = c.in_features ? *c.in_features : c.input.size() > 1 ? c.input[1] : 0;
      return "nn.BatchNorm" + std::to_string(r) + "d(" + std::to_string(n) + ")";
    }
    case OpFamily::kMaxUnpool: return Unpool(c);
    case OpFamily::kUpsample: return Upsample(c);
    case OpFamily::kElementwise:
      return c.op == Op::kRelu ? "nn.ReLU()" : c.op == Op::kTanh ? "nn.Tanh()" : c.op == Op::kSigmoid ? "nn.Sigmoid()" : "nn.Dropout()";
    case OpFamily::kConv: break;
  }
  return "";
}

}  // namespace convcheck
