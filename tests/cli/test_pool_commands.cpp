// The pooling answers of the answer commands: `convert --pool` (TF/Keras/ONNX pooling as a
// PyTorch recipe), `solve --pool --json`, and `invert` of a max/avg pool (max_unpool, Upsample).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/run_cli.h"

namespace convcheck {
namespace {

// The exit code and the output of `convcheck ARGS`, run in the source tree (examples/ resolve).
struct Answer {
  explicit Answer(const std::string& args) : code(testing::RunCli(args, &out, CONVCHECK_SOURCE_DIR)) {}
  std::string out;
  int code;
};

TEST(PoolCommands, ConvertTfSameMaxPoolIsOneCeilModePool) {
  const Answer r = Answer("convert --from tf --padding SAME --pool max --input 61,72 --kernel 2 --stride 2");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("tf SAME max_pool → output 31 36"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("y = F.max_pool2d(x, kernel_size=(2, 2), stride=(2, 2), padding=(0, 0), ceil_mode=True)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("nn.MaxPool2d(kernel_size=2, stride=2, ceil_mode=True)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("channels_last"), std::string::npos) << r.out;
}

TEST(PoolCommands, ConvertOnnxAveragePoolJsonNamesTheLastWindowRule) {
  const Answer r = Answer("convert --from onnx --padding NOTSET --pool avg --pads 1,1,1,1 --ceil-mode --input 2,2 --kernel 3 --stride 3 --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["dims"][0]["output"], 1);
  EXPECT_EQ(j["dims"][0]["legacy_ceil_output"], 2);
  EXPECT_EQ(j["torch"]["style"], "direct");
  EXPECT_EQ(j["torch"]["count_include_pad"], false);
  EXPECT_FALSE(j["notes"].empty());
}

TEST(PoolCommands, ConvertTfSameAverageWithAnOddPadAtStrideOneUsesTheMask) {
  const Answer r = Answer("convert --from keras --padding same --pool avg --input 5 --kernel 2 --stride 1");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("y = total / count"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no single module"), std::string::npos) << r.out;
}

TEST(PoolCommands, ConvertPoolRefusesWhatThePoolCannotTake) {
  EXPECT_EQ(Answer("convert --from tf --padding SAME --pool avg --count-include-pad --input 5 --kernel 2").code, 2);
  EXPECT_EQ(Answer("convert --from tf --padding SAME --pool max --transpose --input 5 --kernel 2").code, 2);
  EXPECT_EQ(Answer("convert --from tf --padding SAME --pool sum --input 5 --kernel 2").code, 2);
  EXPECT_EQ(Answer("convert --from tf --padding SAME --ceil-mode --input 5 --kernel 2").code, 2);
  const Answer valid = Answer("convert --from tf --padding VALID --pool max --input 2 --kernel 3");
  EXPECT_EQ(valid.code, 1) << valid.out;
  EXPECT_NE(valid.out.find("VALID needs input 2 >= pool size 3"), std::string::npos) << valid.out;
}

TEST(PoolCommands, SolvePoolJsonListsEverySolutionWithItsModule) {
  const Answer r = Answer("solve --in 61 --out 31 --pool --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["in"], 61);
  EXPECT_EQ(j["op"], "pool1d");
  ASSERT_FALSE(j["solutions"].empty());
  EXPECT_EQ(j["solutions"][0]["pytorch"], "nn.MaxPool1d(kernel_size=2, ceil_mode=True)");
  bool tf_same = false;
  for (const auto& s : j["solutions"]) {
    if (s["tf_same"] == true && s["kernel"] == 2 && s["stride"] == 2) {
      tf_same = true;
      EXPECT_EQ(s["pytorch"], "nn.MaxPool1d(kernel_size=2, stride=2, ceil_mode=True)");
    }
  }
  EXPECT_TRUE(tf_same) << r.out;
  EXPECT_EQ(Answer("solve --in 5 --out 40 --pool --json").code, 1);
}

TEST(PoolCommands, InvertAMaxPoolGivesTheUnpoolsOutputSizeAndTheUpsample) {
  const Answer r = Answer("invert '{\"op\":\"max_pool2d\",\"input\":[1,3,61,72],\"kernel\":2}' --explain");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("max_unpool's default restores H iff H ≡ 0 (mod 2)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("nn.MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))(y, indices, output_size=(61, 72))"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("nn.Upsample(size=(61, 72)) restores the input"), std::string::npos) << r.out;
  const Answer j = Answer("invert '{\"op\":\"max_pool2d\",\"input\":[1,3,61,72],\"kernel\":2}' --json");
  ASSERT_EQ(j.code, 0) << j.out;
  const nlohmann::json doc = nlohmann::json::parse(j.out);
  EXPECT_EQ(doc["max_unpool"]["default_output"], nlohmann::json({60, 72}));
  EXPECT_EQ(doc["max_unpool"]["output_size_accepted"][0], nlohmann::json({59, 61}));
  EXPECT_EQ(doc["upsample"]["restores"], false);
}

TEST(PoolCommands, InvertTakesEveryPoolModuleThePyTorchTextNames) {
  const Answer r = Answer("invert 'nn.MaxPool2d(2, stride=2)' --input 1,3,25,25");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("max_pool2d [1, 3, 25, 25] → pool output [12, 12]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("output_size=(25, 25)"), std::string::npos) << r.out;
  // The same answer as the JSON case.
  EXPECT_EQ(Answer("invert 'nn.MaxPool2d(2, stride=2)' --input 1,3,25,25 --json").out,
            Answer("invert '{\"op\":\"max_pool2d\",\"input\":[1,3,25,25],\"kernel\":2,\"stride\":2}' --json").out);
  for (const char* text : {"nn.MaxPool1d(3, padding=1)", "torch.nn.AvgPool1d(2)", "nn.AvgPool2d(3, stride=2, ceil_mode=True)",
                           "nn.MaxPool3d(2, dilation=2)", "nn.AvgPool3d((1, 2, 2))"}) {
    const std::string input = std::string(text).find("1d") != std::string::npos   ? "1,4,17"
                              : std::string(text).find("2d") != std::string::npos ? "1,4,17,17"
                                                                                   : "1,4,9,9,9";
    const Answer a = Answer(std::string("invert '") + text + "' --input " + input);
    EXPECT_EQ(a.code, 0) << text << "\n" << a.out;
    EXPECT_NE(a.out.find("nn.Upsample"), std::string::npos) << text << "\n" << a.out;
  }
}

TEST(PoolCommands, InvertRefusesAnAdaptivePoolFlattenAndLinearWithTheReason) {
  const Answer adaptive = Answer("invert 'nn.AdaptiveAvgPool2d((1, 1))' --input 1,8,7,7");
  EXPECT_EQ(adaptive.code, 2) << adaptive.out;
  EXPECT_NE(adaptive.out.find("convcheck invert: adaptive_avg_pool2d cannot be inverted: its output is output_size (1, 1) "
                              "whatever the input"),
            std::string::npos)
      << adaptive.out;
  const Answer json = Answer("invert '{\"op\":\"adaptive_max_pool1d\",\"input\":[1,2,9],\"output_size\":3}'");
  EXPECT_EQ(json.code, 2) << json.out;
  EXPECT_NE(json.out.find("adaptive_max_pool1d cannot be inverted"), std::string::npos) << json.out;
  for (const char* text : {"nn.Flatten()", "nn.Linear(8, 2)"}) {
    const Answer a = Answer(std::string("invert '") + text + "' --input 1,8");
    EXPECT_EQ(a.code, 2) << text << "\n" << a.out;
    EXPECT_NE(a.out.find("cannot be inverted: invert takes a convolution or a max/avg pool"), std::string::npos) << a.out;
  }
}

}  // namespace
}  // namespace convcheck
