// TorchScript models (what Python users export with torch.jit.script/trace + save).
#include <torch/script.h>

#include <cctype>
#include <sstream>

#include "case_io/text_file.h"
#include "sanity/model.h"

namespace convcheck::sanity {
namespace {

bool HasWeight(const torch::jit::Module& m) {
  for (const auto& p : m.named_parameters(/*recurse=*/false)) {
    if (p.name == "weight") return true;
  }
  return false;
}

bool IsRelu(const torch::jit::Module& m) {
  const auto name = m.type()->name();
  if (!name) return false;
  std::string s = name->qualifiedName();
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s.find("relu") != std::string::npos;
}

class ScriptModel : public SanityModel {
 public:
  explicit ScriptModel(torch::jit::Module m) : module_(std::move(m)) {
    for (const auto& c : module_.named_children()) children_.push_back({c.name, c.value});
  }
  std::string Kind() const override { return "torchscript"; }
  torch::Tensor Forward(const torch::Tensor& x) override {
    module_.train();
    return module_.forward({x}).toTensor();
  }
  torch::Tensor Eval(const torch::Tensor& x) override {
    module_.eval();
    return module_.forward({x}).toTensor();
  }
  ProbeTrace Probe(const torch::Tensor& x) override {
    torch::NoGradGuard no_grad;
    ProbeTrace t;
    t.output = Eval(x);
    std::vector<LayerActivation> layers;
    std::string reason;
    if (RunChain(x, t.output, &layers, &reason)) {
      t.traced = true;
      t.layers = std::move(layers);
    } else {
      t.untraced_reason = reason;
    }
    return t;
  }
  std::vector<WeightInfo> Weights() override {
    std::vector<WeightInfo> out;
    for (const auto& p : module_.named_parameters(/*recurse=*/true)) {
      if (p.value.dim() < 2) continue;
      const int64_t rf = p.value[0][0].numel();
      out.push_back({p.name, p.value, p.value.size(1) * rf, p.value.size(0) * rf});
    }
    return out;
  }
  // The children called in order, as Probe does; only when that is the model's forward().
  std::vector<LayerShape> Shapes(const std::vector<int64_t>& input_shape, std::string* why) override {
    torch::NoGradGuard no_grad;
    // Random, not zeros: a residual x + f(x) equals f(x) at x = 0 and would pass as a chain.
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(1);
    const torch::Tensor input = torch::rand(input_shape, gen);
    std::vector<LayerActivation> ignored;
    if (!RunChain(input, Eval(input), &ignored, why)) return {};
    std::vector<LayerShape> out;
    torch::Tensor x = input;
    for (auto& [name, child] : children_) {
      x = child.forward({x}).toTensor();
      const std::vector<int64_t> sizes = x.sizes().vec();
      out.push_back({name, std::vector<long long>(sizes.begin(), sizes.end())});
    }
    return out;
  }
  std::vector<torch::Tensor> Parameters() override {
    std::vector<torch::Tensor> out;
    for (const auto& p : module_.parameters()) {
      p.set_requires_grad(true);
      out.push_back(p);
    }
    return out;
  }

 private:
  // Calls the children in order; succeeds only when that reproduces forward() (so the recorded
  // activations are the model's own), which holds for scripted nn.Sequential-style models.
  bool RunChain(torch::Tensor x, const torch::Tensor& expected, std::vector<LayerActivation>* out,
                std::string* reason) {
    if (children_.empty()) return (*reason = "the module has no submodules", false);
    try {
      for (size_t i = 0; i < children_.size(); ++i) {
        torch::jit::Module& child = children_[i].second;
        child.eval();
        x = child.forward({x}).toTensor();
        if (!HasWeight(child)) continue;
        const bool relu_next = i + 1 < children_.size() && IsRelu(children_[i + 1].second);
        out->push_back({children_[i].first, x, relu_next});
      }
    } catch (const std::exception&) {
      *reason = "calling the submodules in order failed";
      return false;
    }
    const bool same = x.sizes() == expected.sizes() &&
                      torch::allclose(x, expected, 1e-4, 1e-6, /*equal_nan=*/true);
    if (!same) *reason = "forward() is not the submodules called in order";
    return same;
  }

  torch::jit::Module module_;
  std::vector<std::pair<std::string, torch::jit::Module>> children_;
};

}  // namespace

std::unique_ptr<SanityModel> LoadScriptModel(const std::string& path, std::string* error) {
  // Read through the one bounded reader and load from memory: torch::jit::load(path) would
  // block forever opening a FIFO and read /dev/zero without end.
  std::string bytes;
  if (!ReadTextFile(path, &bytes, error, size_t{1} << 30)) return nullptr;
  try {
    std::istringstream in(bytes);
    return std::make_unique<ScriptModel>(torch::jit::load(in));
  } catch (const std::exception& e) {
    std::string what = e.what();
    *error = path + ": not a loadable TorchScript file: " + what.substr(0, what.find('\n'));
    return nullptr;
  }
}

}  // namespace convcheck::sanity
