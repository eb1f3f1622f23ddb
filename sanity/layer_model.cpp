// The layer-list model: parameters drawn per the layer's `init`, shapes validated by the oracle
// (so a bad conv reports the rule it breaks), and a forward that can record pre-activations.
#include <cmath>

#include "sanity/model.h"
#include "oracles/output_shape.h"

namespace convcheck::sanity {
namespace {

enum class Mode { kTrain, kProbe, kEval };

struct Layer {
  LayerSpec spec;
  std::string name;  // "layers[3]:conv"
  std::vector<int64_t> kernel, stride, padding, dilation, output_padding;
  std::vector<int64_t> same_pads;  // constant_pad_nd order (last dim first); empty unless "same"
  torch::Tensor weight, bias, running_mean, running_var;
  bool feeds_relu = false;
};

bool Recorded(LayerType t) {
  return t == LayerType::kConv || t == LayerType::kConvT || t == LayerType::kLinear ||
         t == LayerType::kBatchNorm;
}

std::vector<int64_t> Broadcast(const std::vector<int64_t>& v, int rank, int64_t fill) {
  if (v.empty()) return std::vector<int64_t>(rank, fill);
  if (v.size() == 1) return std::vector<int64_t>(rank, v[0]);
  return v;
}

// Checks a conv/convT layer with the oracle and fills its per-dim lists; error on a bad layer.
bool PlanConv(Layer& l, const torch::Tensor& x, std::string* error) {
  const int rank = static_cast<int>(x.dim()) - 2;
  if (rank < 1 || rank > 3) {
    *error = l.name + ": needs an input [N, C, *spatial] with 1..3 spatial dims, got " +
             std::to_string(x.dim()) + "-d";
    return false;
  }
  ConvCase c = DefaultCase(MakeOp(l.spec.type == LayerType::kConvT, rank), x.sizes().vec(),
                           l.spec.out);
  c.kernel = l.kernel = Broadcast(l.spec.kernel, rank, 1);
  c.stride = l.stride = Broadcast(l.spec.stride, rank, 1);
  c.padding = l.padding = Broadcast(l.spec.padding, rank, 0);
  c.dilation = l.dilation = Broadcast(l.spec.dilation, rank, 1);
  c.output_padding = l.output_padding = Broadcast(l.spec.output_padding, rank, 0);
  c.groups = l.spec.groups;
  c.bias = l.spec.bias;
  if (l.spec.same_padding) c.padding_kind = PaddingKind::kSame;
  const ShapeResult r = OutputShape(c);
  if (!r.ok()) {
    *error = l.name + ": " + r.violation().message + " (rule " + RuleName(r.violation().rule) + ")";
    return false;
  }
  if (l.spec.same_padding) {
    const std::vector<PadPair> pads = EffectivePadding(c);
    for (auto it = pads.rbegin(); it != pads.rend(); ++it) {
      l.same_pads.push_back(it->left);
      l.same_pads.push_back(it->right);
    }
    l.padding.assign(rank, 0);
  }
  return true;
}

void Draw(torch::Tensor& t, const Init& init, double default_bound, double scheme_std,
          at::Generator& gen) {
  switch (init.kind) {
    case Init::Kind::kDefault: t.uniform_(-default_bound, default_bound, gen); return;
    case Init::Kind::kHe:
    case Init::Kind::kGlorot:
    case Init::Kind::kLeCun:
      if (scheme_std > 0) t.normal_(0, scheme_std, gen);
      else t.zero_();  // biases of the fan-based schemes start at zero
      return;
    case Init::Kind::kNormal: t.normal_(0, init.value, gen); return;
    case Init::Kind::kUniform: t.uniform_(-init.value, init.value, gen); return;
    case Init::Kind::kConstant: t.fill_(init.value); return;
    case Init::Kind::kZeros: t.zero_(); return;
  }
}

double SchemeStd(Init::Kind k, int64_t fan_in, int64_t fan_out) {
  switch (k) {
    case Init::Kind::kHe: return std::sqrt(2.0 / fan_in);
    case Init::Kind::kGlorot: return std::sqrt(2.0 / (fan_in + fan_out));
    case Init::Kind::kLeCun: return std::sqrt(1.0 / fan_in);
    default: return 0;
  }
}

// Creates weight [and bias] of a conv/convT/linear layer and draws them (PyTorch's layouts).
void MakeParameters(Layer& l, std::vector<int64_t> wshape, int64_t bias_len, at::Generator& gen) {
  torch::NoGradGuard no_grad;
  l.weight = torch::empty(wshape);
  int64_t rf = 1;
  for (size_t i = 2; i < wshape.size(); ++i) rf *= wshape[i];
  const int64_t fan_in = wshape[1] * rf, fan_out = wshape[0] * rf;
  const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
  Draw(l.weight, l.spec.init, bound, SchemeStd(l.spec.init.kind, fan_in, fan_out), gen);
  l.weight.set_requires_grad(true);
  if (!l.spec.bias) return;
  l.bias = torch::empty({bias_len});
  Draw(l.bias, l.spec.bias_init.value_or(l.spec.init), bound, 0, gen);
  l.bias.set_requires_grad(true);
}

bool Plan(Layer& l, const torch::Tensor& x, at::Generator& gen, std::string* error) {
  const LayerSpec& s = l.spec;
  const int rank = static_cast<int>(x.dim()) - 2;
  if (s.type == LayerType::kConv || s.type == LayerType::kConvT) {
    if (!PlanConv(l, x, error)) return false;
    const int64_t cin = x.size(1), g = s.groups;
    std::vector<int64_t> w = s.type == LayerType::kConv
                                 ? std::vector<int64_t>{s.out, cin / g}
                                 : std::vector<int64_t>{cin, s.out / g};
    w.insert(w.end(), l.kernel.begin(), l.kernel.end());
    MakeParameters(l, w, s.out, gen);
  } else if (s.type == LayerType::kLinear) {
    MakeParameters(l, {s.out, x.size(-1)}, s.out, gen);
  } else if (s.type == LayerType::kBatchNorm) {
    if (x.dim() < 2) return (*error = l.name + ": needs [N, C, ...] input", false);
    l.weight = torch::ones({x.size(1)}).set_requires_grad(true);
    l.bias = torch::zeros({x.size(1)}).set_requires_grad(true);
    l.running_mean = torch::zeros({x.size(1)});
    l.running_var = torch::ones({x.size(1)});
  } else if (s.type == LayerType::kMaxPool || s.type == LayerType::kAvgPool) {
    if (rank < 1 || rank > 3) return (*error = l.name + ": needs 1..3 spatial dims", false);
    l.kernel = Broadcast(s.kernel, rank, 1);
    l.stride = Broadcast(s.stride.empty() ? s.kernel : s.stride, rank, 1);
    l.padding = Broadcast(s.padding, rank, 0);
  }
  return true;
}

torch::Tensor Pool(const Layer& l, const torch::Tensor& x) {
  const bool max = l.spec.type == LayerType::kMaxPool;
  const bool ceil = l.spec.ceil_mode;
  switch (l.kernel.size()) {
    case 1: return max ? torch::max_pool1d(x, l.kernel, l.stride, l.padding, 1, ceil)
                       : torch::avg_pool1d(x, l.kernel, l.stride, l.padding, ceil);
    case 2: return max ? torch::max_pool2d(x, l.kernel, l.stride, l.padding, 1, ceil)
                       : torch::avg_pool2d(x, l.kernel, l.stride, l.padding, ceil);
    default: return max ? torch::max_pool3d(x, l.kernel, l.stride, l.padding, 1, ceil)
                        : torch::avg_pool3d(x, l.kernel, l.stride, l.padding, ceil);
  }
}

torch::Tensor Apply(Layer& l, torch::Tensor x, Mode mode) {
  switch (l.spec.type) {
    case LayerType::kConv:
    case LayerType::kConvT:
      if (!l.same_pads.empty()) x = torch::constant_pad_nd(x, l.same_pads, 0);
      return at::convolution(x, l.weight, l.bias, l.stride, l.padding, l.dilation,
                             l.spec.type == LayerType::kConvT, l.output_padding, l.spec.groups);
    case LayerType::kLinear: return torch::linear(x, l.weight, l.bias);
    case LayerType::kReLU: return torch::relu(x);
    case LayerType::kTanh: return torch::tanh(x);
    case LayerType::kSigmoid: return torch::sigmoid(x);
    case LayerType::kMaxPool:
    case LayerType::kAvgPool: return Pool(l, x);
    case LayerType::kFlatten: return x.flatten(1);
    case LayerType::kDropout: return mode == Mode::kTrain ? torch::dropout(x, l.spec.p, true) : x;
    case LayerType::kBatchNorm: {
      // Probes use batch statistics without touching the running ones, so probing never
      // changes the model; eval uses the running statistics (per-sample, for OUT-3).
      const bool probe = mode == Mode::kProbe;
      return torch::batch_norm(x, l.weight, l.bias, probe ? torch::Tensor() : l.running_mean,
                               probe ? torch::Tensor() : l.running_var, mode != Mode::kEval, 0.1,
                               1e-5, false);
    }
  }
  return x;
}

class LayerModel : public SanityModel {
 public:
  explicit LayerModel(std::vector<Layer> layers) : layers_(std::move(layers)) {}
  std::string Kind() const override { return "layers"; }
  torch::Tensor Forward(const torch::Tensor& x) override { return Run(x, Mode::kTrain, nullptr); }
  torch::Tensor Eval(const torch::Tensor& x) override { return Run(x, Mode::kEval, nullptr); }
  ProbeTrace Probe(const torch::Tensor& x) override {
    torch::NoGradGuard no_grad;
    ProbeTrace t;
    t.traced = true;
    t.output = Run(x, Mode::kProbe, &t.layers);
    return t;
  }
  std::vector<WeightInfo> Weights() override {
    std::vector<WeightInfo> out;
    for (const Layer& l : layers_) {
      if (!l.weight.defined() || l.weight.dim() < 2) continue;
      const int64_t rf = l.weight[0][0].numel();
      out.push_back({l.name + ".weight", l.weight, l.weight.size(1) * rf, l.weight.size(0) * rf});
    }
    return out;
  }
  std::vector<torch::Tensor> Parameters() override {
    std::vector<torch::Tensor> out;
    for (const Layer& l : layers_) {
      if (l.weight.defined()) out.push_back(l.weight);
      if (l.bias.defined()) out.push_back(l.bias);
    }
    return out;
  }
  std::vector<LayerShape> Shapes(const std::vector<int64_t>& input_shape, std::string*) override {
    torch::NoGradGuard no_grad;
    std::vector<LayerShape> out;
    torch::Tensor x = torch::zeros(input_shape);
    for (Layer& l : layers_) {
      x = Apply(l, x, Mode::kEval);
      const std::vector<int64_t> sizes = x.sizes().vec();
      out.push_back({l.name, std::vector<long long>(sizes.begin(), sizes.end())});
    }
    return out;
  }

 private:
  torch::Tensor Run(torch::Tensor x, Mode mode, std::vector<LayerActivation>* record) {
    for (Layer& l : layers_) {
      x = Apply(l, x, mode);
      if (record && Recorded(l.spec.type)) record->push_back({l.name, x, l.feeds_relu});
    }
    return x;
  }
  std::vector<Layer> layers_;
};

// A recorded layer feeds a ReLU when the next layer that changes signs is a ReLU (dropout and
// max-pool preserve "never positive", so they are looked through).
void MarkReluInputs(std::vector<Layer>& layers) {
  for (size_t i = 0; i < layers.size(); ++i) {
    if (!Recorded(layers[i].spec.type)) continue;
    size_t j = i + 1;
    while (j < layers.size() && (layers[j].spec.type == LayerType::kDropout ||
                                 layers[j].spec.type == LayerType::kMaxPool)) {
      ++j;
    }
    layers[i].feeds_relu = j < layers.size() && layers[j].spec.type == LayerType::kReLU;
  }
}

}  // namespace

std::unique_ptr<SanityModel> BuildLayerModel(const ModelSpec& spec,
                                             const std::vector<int64_t>& input_shape,
                                             uint64_t seed, std::string* error) {
  at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  std::vector<Layer> layers;
  std::vector<int64_t> shape = input_shape;
  if (shape.size() < 2) {
    *error = "input shape must be [N, C, *spatial] or [N, F]";
    return nullptr;
  }
  shape[0] = 1;
  torch::NoGradGuard no_grad;
  torch::Tensor x = torch::zeros(shape);
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    Layer l;
    l.spec = spec.layers[i];
    l.name = "layers[" + std::to_string(i) + "]:" + LayerTypeName(l.spec.type);
    if (!Plan(l, x, gen, error)) return nullptr;
    try {
      x = Apply(l, x, Mode::kEval);
    } catch (const c10::Error& e) {
      *error = l.name + ": input " + FormatDims(x.sizes().vec()) + ": " + e.what_without_backtrace();
      return nullptr;
    }
    layers.push_back(std::move(l));
  }
  MarkReluInputs(layers);
  return std::make_unique<LayerModel>(std::move(layers));
}

}  // namespace convcheck::sanity
