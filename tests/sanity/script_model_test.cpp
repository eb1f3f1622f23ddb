// TorchScript models (defined from source here, saved and loaded), tensor-file data, F10
// (batch mixing), pretrained weights, and the INIT-2 law over random fans.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sanity/checks.h"
#include "tests/sanity/sanity_fixtures.h"

namespace convcheck::sanity {
namespace {

using testing::ScriptChain;
using testing::ScriptLeaf;

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("convcheck_sanity_" + std::to_string(::getpid()) + "_" + name)).string();
}

torch::Tensor DefaultUniform(std::vector<int64_t> shape, int64_t fan_in, at::Generator& gen) {
  const double b = 1.0 / std::sqrt(static_cast<double>(fan_in));
  return torch::empty(shape).uniform_(-b, b, gen);
}

// A scripted nn.Sequential-like classifier on [N, 3, 8, 8]; `mix` replaces flatten with the
// batch-mixing view of F10: x.permute(1, 0, 2, 3).reshape(N, -1).
torch::jit::Module ScriptedNet(bool mix, uint64_t seed) {
  at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  auto conv = ScriptLeaf("Conv", "torch.conv2d(x, self.weight, self.bias, [1, 1], [1, 1])",
                         DefaultUniform({8, 3, 3, 3}, 27, gen), DefaultUniform({8}, 27, gen));
  auto relu = ScriptLeaf("ReLU", "torch.relu(x)");
  auto flat = mix ? ScriptLeaf("Mix", "x.permute([1, 0, 2, 3]).reshape([x.size(0), -1])")
                  : ScriptLeaf("Flatten", "x.flatten(1)");
  auto fc = ScriptLeaf("Linear", "torch.linear(x, self.weight, self.bias)",
                       DefaultUniform({10, 512}, 512, gen), DefaultUniform({10}, 512, gen));
  return ScriptChain({{"conv", conv}, {"relu", relu}, {"flat", flat}, {"fc", fc}});
}

std::unique_ptr<SanityModel> SaveAndLoad(torch::jit::Module m, const std::string& name) {
  const std::string path = TempPath(name);
  m.save(path);
  std::string error;
  auto model = LoadScriptModel(path, &error);
  EXPECT_TRUE(model) << error;
  std::filesystem::remove(path);
  return model;
}

DataSet Images(uint64_t seed) {
  DataSet d;
  std::string error;
  EXPECT_TRUE(MakeSyntheticData("classes", {3, 8, 8}, 256, 10, seed, &d, &error)) << error;
  return d;
}

std::string Findings(const SanityReport& r) {
  std::ostringstream s;
  s << "\n--- reproducer: scripted net, data synthetic:classes [3, 8, 8] ---\n";
  PrintFindings(r, s);
  return s.str();
}

TEST(SanityScript, F10BatchMixingViewIsFlaggedAndItsTwinIsNot) {
  for (uint64_t seed : {1, 2, 3, 4, 5}) {
    SanityOptions o;
    o.seed = seed;
    auto bad = SaveAndLoad(ScriptedNet(/*mix=*/true, seed), "f10.pt");
    DataSet d = Images(seed);
    const SanityReport r = CheckModel(*bad, d, o);
    EXPECT_TRUE(r.Has("OUT-3", Level::kError)) << Findings(r);
    auto good = SaveAndLoad(ScriptedNet(/*mix=*/false, seed), "f10_twin.pt");
    DataSet d2 = Images(seed);
    const SanityReport twin = CheckModel(*good, d2, o);
    EXPECT_FALSE(twin.Has("OUT-3")) << Findings(twin);
    EXPECT_FALSE(twin.HasError()) << Findings(twin);
    EXPECT_FALSE(std::isnan(twin.Latest("dead_fraction", "conv"))) << "chain not traced" << Findings(twin);
  }
}

TEST(SanityScript, PretrainedWeightsSkipInitChecksVisibly) {
  for (uint64_t seed : {1, 2, 3, 4, 5}) {
    auto fresh = SaveAndLoad(ScriptedNet(false, seed), "fresh.pt");
    SanityOptions train;
    train.seed = seed;
    train.train_steps = 60;
    train.optimizer = "adam";
    train.lr = 1e-3;
    DataSet d = Images(seed);
    const SanityReport trained = CheckModel(*fresh, d, train);
    EXPECT_FALSE(trained.HasError()) << Findings(trained);
    // Save the trained weights into a new scripted module, as a user exporting from Python would.
    torch::jit::Module m = ScriptedNet(false, seed);
    auto params = fresh->Parameters();
    size_t i = 0;
    for (auto p : m.parameters()) p.detach().copy_(params.at(i++).detach());
    auto loaded = SaveAndLoad(m, "pretrained.pt");
    SanityOptions o;
    o.seed = seed;
    o.pretrained = true;
    DataSet d2 = Images(seed);
    const SanityReport r = CheckModel(*loaded, d2, o);
    EXPECT_TRUE(r.Has("INIT", Level::kInfo)) << Findings(r);
    for (const char* id : {"INIT-1", "INIT-2", "INIT-4", "INIT-5"}) EXPECT_FALSE(r.Has(id)) << Findings(r);
    EXPECT_FALSE(r.HasError()) << Findings(r);
  }
}

TEST(SanityScript, NonChainModuleSkipsActivationChecksVisibly) {
  torch::jit::Module m("Residual");
  m.register_module("fc", ScriptLeaf("Linear", "torch.linear(x, self.weight, self.bias)",
                                     torch::randn({4, 4}) * 0.5, torch::zeros({4})));
  m.define("def forward(self, x):\n    return x + self.fc.forward(x)\n");
  auto model = SaveAndLoad(m, "residual.pt");
  const ProbeTrace t = model->Probe(torch::randn({8, 4}));
  EXPECT_FALSE(t.traced);
  SanityReport r;
  CheckActivations(t, 0, &r);
  ASSERT_EQ(r.findings.size(), 1u) << Findings(r);
  EXPECT_EQ(r.findings[0].level, Level::kInfo);
}

TEST(SanityData, LoadsPickledTensorPairAndTorchScriptArchive) {
  const torch::Tensor x = torch::randn({5, 2, 3});
  const torch::Tensor y = torch::tensor({0, 1, 2, 1, 0}, torch::kLong);
  const std::string pickle_path = TempPath("pair.pt");
  {
    const std::vector<char> bytes = torch::pickle_save(c10::ivalue::Tuple::create(std::vector<c10::IValue>{x, y}));
    std::ofstream(pickle_path, std::ios::binary).write(bytes.data(), bytes.size());
  }
  DataSet d;
  std::string error;
  ASSERT_TRUE(LoadTensorData(pickle_path, &d, &error)) << error;
  EXPECT_TRUE(d.x.equal(x));
  EXPECT_TRUE(d.labels.equal(y));
  const std::string script_path = TempPath("holder.pt");
  torch::jit::Module holder("Holder");
  holder.register_attribute("x", c10::TensorType::get(), x);
  holder.save(script_path);
  DataSet d2;
  ASSERT_TRUE(LoadTensorData(script_path, &d2, &error)) << error;
  EXPECT_TRUE(d2.x.equal(x));
  EXPECT_FALSE(LoadTensorData(TempPath("missing.pt"), &d2, &error));
  std::filesystem::remove(pickle_path);
  std::filesystem::remove(script_path);
}

// Each layer's output shape, N as given, for a layer list and for a scripted chain; a module
// that is not a chain says why instead.
TEST(SanityLayers, ShapesAfterEachLayerForListsAndScriptedChains) {
  ModelSpec spec;
  std::string error;
  ASSERT_TRUE(ParseModelSpec(R"([{"type": "conv", "out_channels": 4, "kernel": 3, "stride": 2},
      {"type": "relu"}, {"type": "flatten"}, {"type": "linear", "out_features": 3}])", &spec, &error)) << error;
  auto model = BuildLayerModel(spec, {5, 2, 9, 9}, 1, &error);
  ASSERT_TRUE(model) << error;
  std::string why;
  const std::vector<LayerShape> shapes = model->Shapes({5, 2, 9, 9}, &why);
  ASSERT_EQ(shapes.size(), 4u);
  EXPECT_EQ(shapes[0].layer, "layers[0]:conv");
  EXPECT_EQ(shapes[0].shape, (std::vector<long long>{5, 4, 4, 4}));
  EXPECT_EQ(shapes[2].shape, (std::vector<long long>{5, 64}));
  EXPECT_EQ(shapes[3].shape, (std::vector<long long>{5, 3}));
  auto scripted = SaveAndLoad(ScriptedNet(false, 1), "chain.pt");
  const std::vector<LayerShape> chain = scripted->Shapes({2, 3, 8, 8}, &why);
  ASSERT_EQ(chain.size(), 4u) << why;
  EXPECT_EQ(chain[2].layer, "flat");
  EXPECT_EQ(chain[2].shape, (std::vector<long long>{2, 512}));
  torch::jit::Module m("Residual");
  m.register_module("fc", ScriptLeaf("Linear", "torch.linear(x, self.weight, self.bias)",
                                     torch::randn({4, 4}) * 0.5, torch::zeros({4})));
  m.define("def forward(self, x):\n    return x + self.fc.forward(x)\n");
  why.clear();
  EXPECT_TRUE(SaveAndLoad(m, "residual2.pt")->Shapes({8, 4}, &why).empty());
  EXPECT_NE(why, "");
}

TEST(SanityLayers, BadConvReportsTheOracleRule) {
  ModelSpec spec;
  std::string error;
  ASSERT_TRUE(ParseModelSpec(R"([{"type": "conv", "out_channels": 2, "kernel": 9}])", &spec, &error));
  EXPECT_EQ(BuildLayerModel(spec, {1, 1, 5, 5}, 1, &error), nullptr);
  EXPECT_NE(error.find("kernel_exceeds_input"), std::string::npos) << error;
  ASSERT_TRUE(ParseModelSpec(R"([{"type": "flatten"}, {"type": "linear", "out_features": 3}])", &spec, &error));
  auto model = BuildLayerModel(spec, {1, 2, 4, 4}, 1, &error);
  ASSERT_TRUE(model) << error;
  EXPECT_EQ(model->Weights().at(0).fan_in, 32);
}

// Law: a weight drawn from any standard init, with any fans, is never flagged by INIT-1/INIT-2
// once it has >= 100 elements (the best-fit ratio r* of its own scheme is ~1).
RC_GTEST_PROP(SanityInit, StandardInitsAreNeverFlagged, ()) {
  const int64_t out = *rc::gen::inRange<int64_t>(4, 64);
  const int64_t in = *rc::gen::inRange<int64_t>(4, 64);
  const int64_t k = *rc::gen::element<int64_t>(1, 3, 5);
  const int scheme = *rc::gen::inRange(0, 4);
  const bool transposed = *rc::gen::arbitrary<bool>();
  RC_PRE(out * in * k * k >= 100);
  std::ostringstream model;
  const char* names[] = {"default", "he", "glorot", "lecun"};
  model << R"([{"type": ")" << (transposed ? "convT" : "conv") << R"(", "out_channels": )" << out
        << R"(, "kernel": )" << k << R"(, "init": ")" << names[scheme] << R"("}])";
  ModelSpec spec;
  std::string error;
  RC_ASSERT(ParseModelSpec(model.str(), &spec, &error));
  auto built = BuildLayerModel(spec, {1, in, 8, 8}, *rc::gen::inRange<uint64_t>(0, 1000), &error);
  RC_ASSERT(built != nullptr);
  SanityReport r;
  CheckInitialization(built->Weights(), &r);
  if (r.Has("INIT-1") || r.Has("INIT-2")) {
    std::ostringstream s;
    PrintFindings(r, s);
    RC_FAIL("standard init flagged; model " + model.str() + " input [1, " + std::to_string(in) +
            ", 8, 8]\n" + s.str());
  }
}

}  // namespace
}  // namespace convcheck::sanity
