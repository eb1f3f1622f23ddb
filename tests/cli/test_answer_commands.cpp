// The answer commands as a practitioner runs them: PyTorch text in, the PyTorch code out, --json
// for scripts, one-line errors, and flags that say plainly what is wrong.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/run_cli.h"

namespace convcheck {
namespace {

struct CliRun {
  int code;
  std::string out;
};

CliRun Cli(const std::string& args) {
  CliRun r;
  r.code = testing::RunCli(args, &r.out, CONVCHECK_SOURCE_DIR);
  return r;
}

TEST(AnswerCommands, ShapeTakesAPyTorchConstructorAndEndsWithTheModule) {
  const CliRun r = Cli("shape 'nn.ConvTranspose2d(256, 128, 3, stride=2, padding=1)' --input 1,256,12,12");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out, "[1, 128, 23, 23]\npytorch: nn.ConvTranspose2d(256, 128, kernel_size=3, stride=2, padding=1)\n");
  const CliRun bad = Cli("shape 'nn.Conv2d(3, 8, 3, strides=2)' --input 1,3,8,8");
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.out.rfind("convcheck shape: nn.Conv2d: strides: unknown argument", 0), 0u) << bad.out;
}

TEST(AnswerCommands, JsonMeansTheSameInEveryAnswerCommand) {
  for (const char* args : {"shape 'nn.Conv1d(1, 1, 3)' --input 1,1,8 --json",
                           "invert 'nn.Conv1d(1, 1, 3, stride=2)' --input 1,1,8 --json",
                           "solve --in 12 --out 24 --transpose --json",
                           "stack '[nn.Conv1d(1, 2, 2, stride=2), nn.ConvTranspose1d(2, 1, 2, stride=2)]' --input 1,1,8 --json",
                           "convert --from tf --padding SAME --input 24 --kernel 3 --stride 2 --json"}) {
    const CliRun r = Cli(args);
    EXPECT_EQ(r.code, 0) << args << "\n" << r.out;
    const nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << args << "\n" << r.out;
  }
  const CliRun solve = Cli("solve --in 12 --out 24 --transpose --json");
  const nlohmann::json j = nlohmann::json::parse(solve.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << solve.out;
  EXPECT_EQ(j["solutions"][0]["pytorch"], "nn.ConvTranspose1d(C, C, kernel_size=2, stride=2)");
}

TEST(AnswerCommands, InvertEndsWithTheWholeTransposedModule) {
  const CliRun r = Cli("invert 'nn.Conv2d(128, 256, 3, stride=2, padding=1)' --input 1,128,24,24");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("pytorch: nn.ConvTranspose2d(256, 128, kernel_size=3, stride=2, padding=1, output_padding=1)\n"),
            std::string::npos) << r.out;
}

TEST(AnswerCommands, SolvePrintsModulesAndTheProjectionAlternative) {
  const CliRun r = Cli("solve --in 768 --out 128");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find(" 1. kernel 6, stride 6, padding 0\n      nn.Conv1d(C, C, kernel_size=6, stride=6)\n"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("nn.Linear(768, 128)"), std::string::npos) << r.out;
}

TEST(AnswerCommands, ConvertPrintsTheModuleAndTheWeightLayout) {
  const CliRun r = Cli("convert --from tf --padding SAME --input 24,24 --kernel 3 --stride 2");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("nn.Sequential(nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(C_in, C_out, kernel_size=3, stride=2))"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("permute(3, 2, 0, 1)"), std::string::npos) << r.out;
}

// ONNX ConvTranspose auto_pad=SAME_UPPER: output_shape = x·s (onnx/defs/nn/defs.cc), 12 → 24.
TEST(AnswerCommands, ConvertOnnxSameUpperTransposeIsInputTimesStride) {
  const CliRun r = Cli("convert --from onnx --padding SAME_UPPER --input 12,12 --kernel 3 --stride 2 --transpose --json");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("24"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("25"), std::string::npos) << r.out;
}

TEST(AnswerCommands, UnknownCommandsAndBadNumbersGetOnePlainLine) {
  const CliRun bogus = Cli("bogus");
  EXPECT_EQ(bogus.code, 2);
  EXPECT_EQ(bogus.out.rfind("convcheck: unknown command \"bogus\" (commands: ", 0), 0u) << bogus.out;
  const CliRun cases = Cli("run --cases 0");
  EXPECT_EQ(cases.code, 2);
  EXPECT_NE(cases.out.find("must be at least 1, got 0"), std::string::npos) << cases.out;
  EXPECT_LT(cases.out.size(), 200u) << "no 300-digit bound: " << cases.out;
}

}  // namespace
}  // namespace convcheck
