// `convcheck stack` traces a whole CNN: the issue's TF network (conv 5x5 SAME, max_pool 2 SAME,
// twice, flatten, dense 128, dense 124) from 1x1x61x72 to 124 outputs with the 18432 features
// of the flatten, in one command; sanity's layer lists are stacks too.
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/run_cli.h"

namespace convcheck {
namespace {

struct CliRun {
  int code = -1;
  std::string out;
};

CliRun Cli(const std::string& args) {
  CliRun r;
  r.code = testing::RunCli(args, &r.out, CONVCHECK_SOURCE_DIR);
  return r;
}

TEST(StackNetwork, TheIssuesTfNetworkTracesTo124OutputsThrough18432Features) {
  const CliRun r = Cli("stack examples/tf_cnn_network.json --input 1,1,61,72");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("→ [1, 32, 31, 36]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("→ [1, 64, 16, 18]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("→ [1, 18432]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("output [1, 124]; the first Linear takes in_features = 18432"), std::string::npos) << r.out;
}

TEST(StackNetwork, JsonCarriesEveryLayerAndTheFirstLinearsFeatures) {
  const CliRun r = Cli("stack examples/tf_cnn_network.json --input 1,1,61,72 --json");
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(j["first_linear_in_features"], 18432);
  EXPECT_EQ(j["accepted"], true);
  EXPECT_EQ(j["layers"].size(), 10u);
  EXPECT_EQ(j["layers"][9]["output"], nlohmann::json({1, 124}));
  EXPECT_EQ(j["layers"][2]["pytorch"],
            "nn.Sequential(nn.ConstantPad2d((0, 0, 0, 1), float('-inf')), nn.MaxPool2d(kernel_size=2))  # TF SAME");
}

TEST(StackNetwork, PyTorchFloorPoolingGivesTheOtherFanIn) {
  // The same network with PyTorch's default (floor) pooling: 61 -> 30 -> 15, so 15·18·64.
  const CliRun r = Cli("stack examples/sanity/f1_layers.json --input 1,1,61,72");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("→ [1, 32, 15, 18]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("the first Linear takes in_features = 8640"), std::string::npos) << r.out;
}

// The typed list takes the decoder's up-samplers too: a max_unpool or an upsample after a pool
// restores 24 (even) and not 25, and the sweep says which sizes round-trip.
TEST(StackNetwork, TypedListsTakeMaxUnpoolAndUpsample) {
  for (const std::string decoder : {R"({"type": "maxunpool", "kernel": 2})", R"({"type": "upsample", "scale_factor": 2})"}) {
    SCOPED_TRACE(decoder);
    const std::string path = ::testing::TempDir() + "/convcheck_typed_decoder.json";
    std::ofstream(path) << R"([{"type": "conv", "out_channels": 3, "kernel": 3, "padding": 1}, {"type": "maxpool", "kernel": 2}, )"
                        << decoder << "]";
    const CliRun even = Cli("stack " + path + " --input 1,3,24,24");
    EXPECT_EQ(even.code, 0) << even.out;
    EXPECT_NE(even.out.find("round-trips"), std::string::npos) << even.out;
    const CliRun odd = Cli("stack " + path + " --input 1,3,25,25");
    EXPECT_EQ(odd.code, 1) << odd.out;
    EXPECT_NE(odd.out.find("[1, 3, 24, 24]"), std::string::npos) << odd.out;
    const CliRun sweep = Cli("stack " + path + " --sweep 1..64");
    EXPECT_NE(sweep.out.find("32 of 64"), std::string::npos) << sweep.out;
  }
}

TEST(StackNetwork, ARejectingPoolNamesItsLayerAndRule) {
  const std::string path = ::testing::TempDir() + "/convcheck_bad_pool_stack.json";
  std::ofstream(path) << R"([{"type": "conv", "out_channels": 4, "kernel": 3}, {"type": "maxpool", "kernel": 3, "padding": 2}])";
  const CliRun r = Cli("stack " + path + " --input 1,1,9,9");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("2 max_pool2d"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rejects: pool_padding_too_large: dim 0: padding 2 exceeds half the kernel size 3"), std::string::npos) << r.out;
}

TEST(StackNetwork, SweepSaysWhichInputSizesEveryLayerAccepts) {
  const CliRun r = Cli("stack examples/sanity/f1_layers.json --sweep 1..64");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("every H ≥ 4 passes — 61 of 64 sizes"), std::string::npos) << r.out;
}

TEST(StackNetwork, PyTorchTextWithPoolsFlattenAndLinearTraces) {
  const CliRun r = Cli("stack '[nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2, ceil_mode=True), "
                       "nn.Conv2d(32, 64, 5, padding=2), nn.MaxPool2d(kernel_size=2, stride=None, ceil_mode=True), "
                       "nn.Flatten(), nn.Linear(18432, 128), nn.Linear(128, 124)]' --input 1,1,61,72");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("output [1, 124]; the first Linear takes in_features = 18432"), std::string::npos) << r.out;
  const CliRun wrong = Cli("stack '[nn.Conv2d(1, 8, 3), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(100, 10)]' --input 1,1,8,8");
  EXPECT_EQ(wrong.code, 1) << wrong.out;
  EXPECT_NE(wrong.out.find("rejects: feature_mismatch: in_features 100 does not match the input's last dim 72"), std::string::npos)
      << wrong.out;
}

}  // namespace
}  // namespace convcheck
