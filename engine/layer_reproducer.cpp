#include "engine/layer_reproducer.h"

#include <sstream>

#include "case_io/layer_pytorch_text.h"
#include "oracles/layer_ops.h"

namespace convcheck {
namespace {

std::string Join(const Dims& d) {
  std::ostringstream os;
  for (size_t i = 0; i < d.size(); ++i) os << (i ? ", " : "") << d[i];
  return os.str();
}

std::string List(const Dims& d) { return "{" + Join(d) + "}"; }

}  // namespace

std::string LayerCppRepro(const ConvCase& c) {
  const std::string x = "torch::zeros(" + List(c.input) + ", torch::dtype(torch::k" +
                        (c.dtype == DType::kFloat64 ? "Float64" : c.dtype == DType::kBFloat16 ? "BFloat16" : c.dtype == DType::kFloat16 ? "Float16" : "Float32") + "))";
  const std::string r = std::to_string(SpatialRank(c.op));
  const Dims stride = PoolStride(c);
  std::ostringstream os;
  switch (FamilyOf(c.op)) {
    case OpFamily::kMaxPool:
      if (c.padding_kind == PaddingKind::kSame) return "(TF SAME pooling: see the Python line)";
      os << "at::max_pool" << r << "d(" << x << ", " << List(c.kernel) << ", " << List(stride) << ", " << List(c.padding) << ", "
         << List(c.dilation) << ", " << (c.ceil_mode ? "true" : "false") << ")";
      break;
    case OpFamily::kAvgPool:
      if (c.padding_kind == PaddingKind::kSame) return "(TF SAME pooling: see the Python line)";
      os << "at::avg_pool" << r << "d(" << x << ", " << List(c.kernel) << ", " << List(stride) << ", " << List(c.padding) << ", "
         << (c.ceil_mode ? "true" : "false") << ", " << (c.count_include_pad ? "true" : "false");
      if (SpatialRank(c.op) > 1) os << ", " << (c.divisor_override ? std::to_string(*c.divisor_override) : "c10::nullopt");
      os << ")";
      break;
    case OpFamily::kAdaptiveAvgPool: os << "at::adaptive_avg_pool" << r << "d(" << x << ", " << List(c.output_size) << ")"; break;
    case OpFamily::kAdaptiveMaxPool: os << "std::get<0>(at::adaptive_max_pool" << r << "d(" << x << ", " << List(c.output_size) << "))"; break;
    case OpFamily::kFlatten: os << x << ".flatten(" << c.start_dim << ", " << c.end_dim << ")"; break;
    default: return "(see the Python line)";
  }
  return os.str() + ".sizes()";
}

std::string LayerPythonRepro(const ConvCase& c) {
  const std::string module = PyTorchLayerModule(c);
  std::ostringstream os;
  os << "import torch; from torch import nn; import torch.nn.functional as F; x = torch.zeros(" << Join(c.input)
     << (c.input.size() == 1 ? "," : "") << ", dtype=torch." << DTypeName(c.dtype) << "); ";
  if (FamilyOf(c.op) == OpFamily::kMaxUnpool) {  // the module's forward takes indices (0: any valid one) and output_size
    os << "print(" << module.substr(0, module.find("  #")) << "(x, torch.zeros_like(x, dtype=torch.long)";
    if (!c.output_size.empty()) os << ", output_size=[" << Join(c.output_size) << "]";
    os << ").shape)";
  } else if (module.rfind("F.", 0) == 0) {  // TF SAME avg pooling: an expression in x
    os << "print((" << module.substr(0, module.find("  #")) << ").shape)";
  } else {
    os << "print(" << module.substr(0, module.find("  #")) << (FamilyOf(c.op) == OpFamily::kBatchNorm ? ".eval()" : "")
       << "(x).shape)";
  }
  return os.str();
}

}  // namespace convcheck
