// The worked examples and one case per rule, through LibTorch: shapes and validity agree with
// the oracle (the ShapeAgrees / ValidityAgrees properties on fixed cases).
#include <gtest/gtest.h>

#include "generators/conv_case_gen.h"
#include "engine/reproducer.h"
#include "engine/engine.h"
#include "case_io/case_json.h"

namespace convcheck {
namespace {

class LibTorchShapes : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = MakeDefaultBackend();
    if (!backend_) GTEST_SKIP() << "built without LibTorch (CONVCHECK_WITH_TORCH=OFF): no backend to check";
  }
  CaseResult Check(const ConvCase& c) { return CheckCase(c, *backend_, uint64_t{1} << 30); }
  std::unique_ptr<Backend> backend_;
};

TEST_F(LibTorchShapes, WorkedExamplesAgreeInFloat32AndFloat64) {
  for (DType t : {DType::kFloat32, DType::kFloat64}) {
    for (ConvCase c : WorkedExamples()) {
      c.dtype = t;
      const CaseResult r = Check(c);
      EXPECT_EQ(r.verdict, Verdict::kAgree) << ReproducerBlock(r);
    }
  }
}

// Both refuse, and LibTorch's words name the oracle's rule (CheckCase judges the reason too).
TEST_F(LibTorchShapes, EveryInvalidRuleIsAlsoRefusedByLibTorch) {
  const char* kCases[] = {
      R"({"op":"conv2d","input":[1,1,1,4,4],"out_channels":1,"kernel":1})",
      R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":1,"stride":0})",
      R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":1,"padding":-1})",
      R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":2,"dilation":0})",
      R"({"op":"conv1d","input":[1,2,4],"out_channels":2,"kernel":1,"groups":0})",
      R"({"op":"conv1d","input":[1,3,4],"out_channels":3,"kernel":1,"groups":3,"weight_shape":[2,1,1]})",
      R"({"op":"conv1d","input":[1,2,4],"out_channels":3,"kernel":1,"groups":2})",
      R"({"op":"conv2d","input":[1,3,8,8],"out_channels":4,"kernel":3,"weight_shape":[4,2,3,3]})",
      R"({"op":"conv_transpose1d","input":[1,2,4],"out_channels":3,"kernel":1,"groups":2})",
      R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":3,"padding":"same","stride":2})",
      R"({"op":"conv_transpose1d","input":[1,1,4],"out_channels":1,"kernel":3,"padding_mode":"reflect"})",
      R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":3,"padding":4,"padding_mode":"reflect"})",
      R"({"op":"conv2d","input":[1,1,5,5],"out_channels":1,"kernel":[5,7]})",
      R"({"op":"conv_transpose1d","input":[1,1,4],"out_channels":1,"kernel":1,"stride":2,"dilation":2,"output_padding":2})",
      // 2-d: LibTorch 1.13 words a 1-d transposed conv's output size in 2-d sizes (a known
      // deviation, libtorch-1.13-wrong-reason-conv-transpose1d-names-2d-sizes).
      R"({"op":"conv_transpose2d","input":[1,1,2,2],"out_channels":1,"kernel":1,"padding":1})",
  };
  for (const char* json : kCases) {
    const CaseParseResult parsed = ParseCaseText(json);
    ASSERT_TRUE(parsed.ok()) << json << ": " << parsed.error;
    const CaseResult r = Check(*parsed.value);
    EXPECT_EQ(r.verdict, Verdict::kBothRejected) << ReproducerBlock(r);
  }
}

TEST_F(LibTorchShapes, CudaCasesAreSkippedVisiblyWithoutAGpu) {
  const auto devices = backend_->Devices();
  if (std::find(devices.begin(), devices.end(), Device::kCuda) != devices.end()) {
    GTEST_SKIP() << "a CUDA device is present: the skip path does not apply";
  }
  ConvCase c = WorkedExamples().front();
  c.device = Device::kCuda;
  const CaseResult r = Check(c);
  EXPECT_EQ(r.verdict, Verdict::kSkipped);
  EXPECT_EQ(r.outcome.message, "no CUDA device");
}

TEST_F(LibTorchShapes, ReproducerBlockCarriesCaseAndOneLineRepros) {
  ConvCase c = WorkedExamples().front();
  const CaseResult r = Check(c);
  const std::string block = ReproducerBlock(r);
  EXPECT_NE(block.find("=== Divergence found"), std::string::npos);
  EXPECT_NE(block.find(CaseToJsonLine(c)), std::string::npos);
  EXPECT_NE(block.find("at::conv2d(torch::zeros({1, 128, 24, 24}"), std::string::npos) << block;
  EXPECT_NE(block.find("F.conv2d(torch.zeros(1, 128, 24, 24"), std::string::npos) << block;
}

}  // namespace
}  // namespace convcheck
