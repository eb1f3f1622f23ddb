// Pooling, flatten and linear through LibTorch: the issue's ceil-mode example, TF SAME pooling
// run as its recipe, and one case per pooling rule refused by LibTorch as by the oracle.
#include <gtest/gtest.h>

#include "case_io/case_json.h"
#include "engine/engine.h"
#include "engine/reproducer.h"

namespace convcheck {
namespace {

class LibTorchPooling : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = MakeDefaultBackend();
    if (!backend_) GTEST_SKIP() << "built without LibTorch (CONVCHECK_WITH_TORCH=OFF): no backend to check";
  }
  CaseResult Check(const std::string& json) {
    const CaseParseResult parsed = ParseCaseText(json);
    EXPECT_TRUE(parsed.ok()) << json << ": " << parsed.error;
    return CheckCase(parsed.ok() ? *parsed.value : ConvCase{}, *backend_, uint64_t{1} << 30);
  }
  std::unique_ptr<Backend> backend_;
};

TEST_F(LibTorchPooling, ValidCasesAgreeIncludingCeilModeAndTfSame) {
  const char* kCases[] = {
      R"({"op":"max_pool1d","input":[1,1,5],"kernel":2,"stride":2,"padding":1,"ceil_mode":true})",
      R"({"op":"max_pool2d","input":[1,32,61,72],"kernel":2,"stride":2,"padding":"same"})",
      R"({"op":"avg_pool2d","input":[1,3,10,7],"kernel":3,"stride":2,"padding":"same"})",
      R"({"op":"avg_pool3d","input":[1,2,5,6,7],"kernel":[2,3,2],"padding":1,"ceil_mode":true,"divisor_override":3})",
      R"({"op":"max_pool3d","input":[2,1,9,9,9],"kernel":3,"stride":2,"dilation":2,"padding":1})",
      R"({"op":"adaptive_max_pool2d","input":[1,3,5,4],"output_size":[7,2]})",
      R"({"op":"flatten","input":[1,64,16,18]})",
      R"({"op":"linear","input":[1,18432],"out_features":128})",
      R"({"op":"batch_norm1d","input":[4,3]})"};
  for (const char* json : kCases) {
    const CaseResult r = Check(json);
    EXPECT_EQ(r.verdict, Verdict::kAgree) << ReproducerBlock(r);
  }
}

TEST_F(LibTorchPooling, EveryPoolingRuleIsAlsoRefusedByLibTorch) {
  const char* kCases[] = {
      R"({"op":"max_pool2d","input":[1,1,9,9],"kernel":3,"padding":2})",
      R"({"op":"avg_pool2d","input":[1,1,9,9],"kernel":2,"padding":-1})",
      R"({"op":"max_pool2d","input":[1,1,9,9],"kernel":2,"stride":0})",
      R"({"op":"max_pool2d","input":[1,1,9,9],"kernel":2,"dilation":0})",
      R"({"op":"avg_pool2d","input":[1,1,9,9],"kernel":2,"divisor_override":0})",
      R"({"op":"avg_pool3d","input":[1,1,2,4,4],"kernel":3,"padding":1})",
      R"({"op":"max_pool2d","input":[1,1,1,9],"kernel":2})",
      R"({"op":"max_pool2d","input":[1,0,9,9],"kernel":2})",
      R"({"op":"adaptive_max_pool2d","input":[1,3,4,4],"output_size":[2,-1]})",
      R"({"op":"flatten","input":[2,3,4,5],"start_dim":2,"end_dim":1})",
      R"({"op":"linear","input":[1,18432],"in_features":17280,"out_features":128})",
      R"({"op":"batch_norm2d","input":[2,3,4]})"};
  for (const char* json : kCases) {
    const CaseResult r = Check(json);
    EXPECT_EQ(r.verdict, Verdict::kBothRejected) << ReproducerBlock(r);
  }
}

}  // namespace
}  // namespace convcheck
