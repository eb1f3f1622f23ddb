// The issue #3 properties on LibTorch for generated cases and the documentation autoencoder,
// and the invert/stack/solve/convert commands end to end (exit codes, one-line errors).
// Backend tests skip, with the reason, in a build without LibTorch.
#include <array>
#include <cstdio>
#include <memory>

#include <sys/wait.h>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "generators/conv_case_gen.h"
#include "properties/property_table.h"
#include "properties/roundtrip_properties.h"
#include "case_io/case_json.h"
#include "tests/support/run_cli.h"

namespace convcheck {
namespace {

Backend* Torch() {
  static const std::unique_ptr<Backend> backend = MakeDefaultBackend();
  return backend.get();
}

#define REQUIRE_BACKEND() \
  if (!Torch()) GTEST_SKIP() << "built without LibTorch (CONVCHECK_WITH_TORCH=OFF): MakeDefaultBackend() returned nullptr"

CaseProperty* Property(const std::string& name) {
  static const std::vector<std::unique_ptr<CaseProperty>> all = MakeExtraProperties({});
  for (const auto& p : all) {
    if (p->Name() == name) return p.get();
  }
  return nullptr;
}

const char* kNames[] = {"RoundTripRestoresInput", "StackAnalysisAgrees", "SolverSolutionsHold", "ConventionRecipeMatches"};

TEST(RoundTripProperties, AreInThePropertyTable) {
  for (const char* name : kNames) EXPECT_NE(Property(name), nullptr) << name;
}

TEST(RoundTripProperties, AutoencoderRestoresOnLibTorch) {
  REQUIRE_BACKEND();
  ConvCase c = DefaultCase(Op::kConv2d, {1, 128, 24, 24}, 256);
  c.kernel = {3, 3};
  c.stride = {2, 2};
  c.padding = {1, 1};
  const std::optional<CaseResult> r = Property("RoundTripRestoresInput")->Check(c, *Torch());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->verdict, Verdict::kAgree) << r->detail;
}

TEST(RoundTripProperties, RecipeBackendRunsPadsAndCrops) {
  REQUIRE_BACKEND();
  ConvCase c = DefaultCase(Op::kConv1d, {1, 1, 24}, 1);
  c.kernel = {3};
  c.stride = {2};
  const BackendOutcome padded = Torch()->RunPadded(c, {{0, 1}});  // TF SAME: 24 → 12
  ASSERT_EQ(padded.kind, BackendOutcome::Kind::kShape) << padded.message;
  EXPECT_EQ(padded.shape, (Dims{1, 1, 12}));
  c.op = Op::kConvTranspose1d;
  const BackendOutcome cropped = Torch()->RunPadded(c, {{1, 2}});  // (24−1)·2 + 3 = 49, minus 3
  ASSERT_EQ(cropped.kind, BackendOutcome::Kind::kShape) << cropped.message;
  EXPECT_EQ(cropped.shape, (Dims{1, 1, 46}));
  EXPECT_EQ(Torch()->RunPadded(c, {{40, 40}}).kind, BackendOutcome::Kind::kRejected);
}

// Every property, on every generated case it applies to, agrees with LibTorch.
RC_GTEST_PROP(RoundTripProperties, AgreeWithLibTorchOnGeneratedCases, ()) {
  if (!Torch()) return;  // reported by the skip above
  GenOptions opts;
  opts.dtypes = {DType::kFloat32};
  const ConvCase c = *ValidConvCase(opts);
  for (const char* name : kNames) {
    const std::optional<CaseResult> r = Property(name)->Check(c, *Torch());
    RC_CLASSIFY(r.has_value(), name);
    if (r && !IsAgreement(r->verdict) && r->verdict != Verdict::kSkipped) {
      RC_FAIL(std::string(name) + " " + VerdictName(r->verdict) + ": " + r->detail + "\nrun case: " + CaseToJsonLine(r->c));
    }
  }
}

TEST(RoundTripProperties, DerivedStacksHaveTwoToSixLayers) {
  ConvCase c = DefaultCase(Op::kConv2d, {1, 3, 16, 16}, 4);
  for (int64_t k = 1; k <= 5; ++k) {
    for (int64_t s = 1; s <= 3; ++s) {
      c.kernel = {k, k};
      c.stride = {s, s};
      const size_t n = DerivedStack(c).size();
      EXPECT_TRUE(n == 2 || n == 4 || n == 6) << n << " layers for " << CaseToJsonLine(c);
    }
  }
}

int Cli(const std::string& args, std::string* out) { return testing::RunCli(args, out); }

const std::string kExample = std::string(CONVCHECK_SOURCE_DIR) + "/examples/";

TEST(Cli, InvertTheAutoencoder) {
  std::string out;
  EXPECT_EQ(Cli("invert " + kExample + "autoencoder_conv.json", &out), 0) << out;
  EXPECT_NE(out.find("use output_padding=(1, 1) for this input; in general output_padding 1 when H is even, 0 when H is odd (the same for W)"), std::string::npos) << out;
  EXPECT_NE(out.find("output_size=(24, 24)"), std::string::npos) << out;
  EXPECT_EQ(Cli("invert '{\"op\":\"conv1d\"}'", &out), 2) << out;
  EXPECT_EQ(out, "convcheck invert: input: required key is missing\n");
}

TEST(Cli, StackInputAndSweep) {
  std::string out;
  EXPECT_EQ(Cli("stack " + kExample + "autoencoder_stack.json --input 1,128,24,24", &out), 1) << out;
  EXPECT_NE(out.find("2 decoder conv_transpose2d  → [1, 128, 23, 23]"), std::string::npos) << out;
  EXPECT_NE(out.find("fix: layer 2 (decoder) output_padding[H] 0 → 1"), std::string::npos) << out;
  EXPECT_EQ(Cli("stack " + kExample + "autoencoder_stack.json --sweep 1..64", &out), 1) << out;
  EXPECT_NE(out.find("H: round-trips iff H ≡ 1 (mod 2) and H ≥ 1 — 32 of 64 sizes in 1..64"), std::string::npos) << out;
  EXPECT_EQ(Cli("stack " + kExample + "autoencoder_stack.json --sweep 9..3", &out), 2) << out;
}

TEST(Cli, SolveAndConvert) {
  std::string out;
  EXPECT_EQ(Cli("solve --in 768 --out 128", &out), 0) << out;
  EXPECT_NE(out.find(" 1. kernel 6, stride 6, padding 0\n"), std::string::npos) << out;
  EXPECT_EQ(Cli("solve --in 768 --out 128 --op deconv", &out), 2) << out;
  EXPECT_EQ(Cli("convert --from tf --padding SAME --input 24,24 --kernel 3 --stride 2", &out), 0) << out;
  EXPECT_NE(out.find("x = F.pad(x, (0, 1, 0, 1))"), std::string::npos) << out;
}

}  // namespace
}  // namespace convcheck
