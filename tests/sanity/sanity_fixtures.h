// Shared fixtures of the ground-truth suite (issue #7): layer-list models as JSON text, scripted
// TorchScript modules defined from source, and one call that builds, checks and explains.
#pragma once

#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/script.h>

#include "sanity/check_model.h"
#include "sanity/report_io.h"

namespace convcheck::sanity::testing {

// A plain MLP: `depth` linear layers of `width` (ReLU between), `outputs` at the end; the output
// layer uses `out_init` when given (He's factor 2 makes up for a ReLU the output layer lacks,
// so a He-initialized net uses LeCun there, as kaiming_normal_(nonlinearity='linear') does).
inline std::string Mlp(int depth, int width, int outputs, const std::string& init,
                       const std::string& task = "classification",
                       const std::string& out_init = "") {
  nlohmann::json layers = nlohmann::json::array();
  for (int i = 0; i < depth - 1; ++i) {
    layers.push_back({{"type", "linear"}, {"out_features", width}, {"init", init}});
    layers.push_back({{"type", "relu"}});
  }
  layers.push_back({{"type", "linear"}, {"out_features", outputs},
                    {"init", out_init.empty() ? init : out_init}});
  return nlohmann::json{{"task", task}, {"layers", layers}}.dump();
}

// The small classification CNN of the suite (examples/sanity/f1_layers.json's shape), with
// `init` for every layer and an optional bias init for the hidden layers.
inline std::string SmallCnn(const std::string& init, const std::string& hidden_bias = "",
                            bool batchnorm = false, const std::string& task = "classification",
                            int outputs = 10) {
  auto param = [&](nlohmann::json l, bool hidden) {
    l["init"] = init;
    if (hidden && !hidden_bias.empty()) l["bias_init"] = hidden_bias;
    return l;
  };
  nlohmann::json layers = nlohmann::json::array();
  for (int ch : {16, 32}) {
    layers.push_back(param({{"type", "conv"}, {"out_channels", ch}, {"kernel", 3}, {"padding", "same"}}, true));
    if (batchnorm) layers.push_back({{"type", "batchnorm"}});
    layers.push_back({{"type", "relu"}});
    layers.push_back({{"type", "maxpool"}, {"kernel", 2}});
  }
  layers.push_back({{"type", "flatten"}});
  layers.push_back(param({{"type", "linear"}, {"out_features", 64}}, true));
  layers.push_back({{"type", "relu"}});
  layers.push_back(param({{"type", "linear"}, {"out_features", outputs}}, false));
  return nlohmann::json{{"task", task}, {"layers", layers}}.dump();
}

struct SanityRun {
  std::string model_json;
  std::vector<int64_t> input_shape{1, 1, 28, 28};
  std::string data = "classes";
  SanityOptions options;
  int64_t samples = 256;
};

// What a failing expectation prints: the model, the equivalent command line and the findings.
inline std::string Reproducer(const SanityRun& run, const SanityReport& report) {
  std::ostringstream s;
  s << "\n--- reproducer ---\nmodel JSON: " << run.model_json << "\nconvcheck sanity --model m.json --input-shape ";
  for (size_t i = 0; i < run.input_shape.size(); ++i) s << (i ? "," : "") << run.input_shape[i];
  s << " --data synthetic:" << run.data << " --seed " << run.options.seed << " --train "
    << run.options.train_steps << " --optimizer " << run.options.optimizer << " --lr "
    << run.options.lr << " --probe " << run.options.probe << " --batch " << run.options.batch
    << " --samples " << run.samples << " --task " << run.options.task << "\n";
  PrintFindings(report, s);
  PrintMeasurements(report, s);
  return s.str();
}

// Builds the layer-list model and synthetic data of `run`, checks it, and returns the report.
inline SanityReport Check(SanityRun run, DataSet* data_out = nullptr) {
  ModelSpec spec;
  std::string error;
  EXPECT_TRUE(ParseModelSpec(run.model_json, &spec, &error)) << error << "\n" << run.model_json;
  run.options.task = spec.task;
  auto model = BuildLayerModel(spec, run.input_shape, run.options.seed, &error);
  EXPECT_TRUE(model) << error << "\n" << run.model_json;
  if (!model) return {};
  DataSet data;
  std::vector<int64_t> sample(run.input_shape.begin() + 1, run.input_shape.end());
  EXPECT_TRUE(MakeSyntheticData(run.data, sample, run.samples, 10, run.options.seed, &data, &error)) << error;
  if (data_out) {
    if (data_out->x.defined()) data = *data_out;  // the caller's own (corrupted) data
  }
  return CheckModel(*model, data, run.options);
}

// A one-child TorchScript module whose forward is `body` (a function of x and its params).
inline torch::jit::Module ScriptLeaf(const std::string& type, const std::string& body,
                                     torch::Tensor weight = {}, torch::Tensor bias = {}) {
  torch::jit::Module m(type);
  if (weight.defined()) m.register_parameter("weight", weight.set_requires_grad(true), false);
  if (bias.defined()) m.register_parameter("bias", bias.set_requires_grad(true), false);
  m.define("def forward(self, x):\n    return " + body + "\n");
  return m;
}

// Chains named children in a scripted parent whose forward calls them in order.
inline torch::jit::Module ScriptChain(
    const std::vector<std::pair<std::string, torch::jit::Module>>& children) {
  torch::jit::Module m("Chain");
  std::string src = "def forward(self, x):\n";
  for (const auto& [name, child] : children) {
    m.register_module(name, child);
    src += "    x = self." + name + ".forward(x)\n";
  }
  src += "    return x\n";
  m.define(src);
  return m;
}

}  // namespace convcheck::sanity::testing
