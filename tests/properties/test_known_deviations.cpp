// Known deviations are data: the committed records load, scope by version and family, and
// match only the failures they describe.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "properties/known_deviations.h"
#include "properties/property_table.h"
#include "case_io/case_json.h"

namespace convcheck {
namespace {

namespace fs = std::filesystem;

CaseResult Failure(const std::string& json, Verdict v, const std::string& message) {
  CaseResult r;
  r.c = *ParseCaseText(json).value;
  r.expected = OutputShape(r.c);
  r.outcome = BackendOutcome::Rejected(message);
  r.verdict = v;
  r.property = PropertyFor(v);
  return r;
}

TEST(KnownDeviations, CommittedRecordsLoadForLibTorch113AndNotFor20) {
  KnownDeviations k113, k20;
  const std::string dir = std::string(CONVCHECK_SOURCE_DIR) + "/corpus/known";
  ASSERT_EQ(KnownDeviations::Load(dir, "libtorch", "1.13.0", &k113), std::nullopt);
  ASSERT_EQ(KnownDeviations::Load(dir, "libtorch", "2.1.0", &k20), std::nullopt);
  EXPECT_GE(k113.records().size(), 5u);
  EXPECT_EQ(k20.records().size(), 0u) << "1.13 deviations must not apply to 2.x";
}

TEST(KnownDeviations, MatchNeedsFamilyVerdictAndMessage) {
  KnownDeviations known;
  ASSERT_EQ(KnownDeviations::Load(std::string(CONVCHECK_SOURCE_DIR) + "/corpus/known", "libtorch", "1.13.1", &known), std::nullopt);
  const std::string bf16 = R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":1,"padding":1,"padding_mode":"reflect","dtype":"bfloat16"})";
  const std::string f32 = R"({"op":"conv1d","input":[1,1,4],"out_channels":1,"kernel":1,"padding":1,"padding_mode":"reflect","dtype":"float32"})";
  EXPECT_TRUE(known.Match(Failure(bf16, Verdict::kBackendOnlyRejected, "\"reflection_pad1d\" not implemented for 'BFloat16'")));
  EXPECT_FALSE(known.Match(Failure(f32, Verdict::kBackendOnlyRejected, "\"reflection_pad1d\" not implemented for 'BFloat16'")))
      << "float32 is outside the family";
  EXPECT_FALSE(known.Match(Failure(bf16, Verdict::kBackendOnlyRejected, "some other error")))
      << "the message must match";
  EXPECT_FALSE(known.Match(Failure(bf16, Verdict::kShapeMismatch, "")));
}

TEST(KnownDeviations, MalformedRecordNamesFileAndKey) {
  const fs::path dir = fs::temp_directory_path() / "convcheck_known_bad";
  fs::create_directories(dir);
  std::ofstream(dir / "bad.json") << R"({"format":1,"id":"x","property":"ShapeAgrees","verdict":"shape_mismatch","framework":"libtorch","evidence":"e","familly":{}})";
  KnownDeviations known;
  const auto err = KnownDeviations::Load(dir.string(), "libtorch", "1.13.1", &known);
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(err->find("bad.json: familly: unknown key"), std::string::npos) << *err;
  fs::remove_all(dir);
}

TEST(KnownDeviations, AHangRecordShortensTheLimitOfItsFamilyOnly) {
  KnownDeviations known;
  ASSERT_EQ(KnownDeviations::Load(std::string(CONVCHECK_SOURCE_DIR) + "/corpus/known", "libtorch", "1.13.1", &known), std::nullopt);
  const ConvCase hang = *ParseCaseText(R"({"op":"max_pool1d","input":[1,1,1],"kernel":9223372036854775807,"stride":1})").value;
  const ConvCase small = *ParseCaseText(R"({"op":"max_pool1d","input":[1,1,4],"kernel":2})").value;
  ASSERT_TRUE(known.TimeLimitFor(hang).has_value());
  EXPECT_LE(*known.TimeLimitFor(hang), 1.0);
  EXPECT_EQ(known.TimeLimitFor(small), std::nullopt);
}

// A hang's limit is for the workers that answer the record's properties: the bfloat16
// backward hang (GradientIsTranspose) shortens the numeric worker's calls, not the shape
// workers' forward runs, where a crash of the same family must not become a timeout.
TEST(KnownDeviations, AHangLimitsOnlyTheWorkersOfItsProperties) {
  KnownDeviations known;
  ASSERT_EQ(KnownDeviations::Load(std::string(CONVCHECK_SOURCE_DIR) + "/corpus/known", "libtorch", "1.13.1", &known), std::nullopt);
  const ConvCase backward_hang = *ParseCaseText(
      R"({"op":"conv2d","input":[1,1,4,7],"out_channels":1,"kernel":4,"stride":[2,2147483647],"dilation":[1,2],"dtype":"bfloat16"})").value;
  const ConvCase pool_hang = *ParseCaseText(R"({"op":"max_pool1d","input":[1,1,1],"kernel":9223372036854775807,"stride":1})").value;
  auto numeric = [](const std::string& p) { return IsNumericProperty(p); };
  auto shapes = [](const std::string& p) { return !IsNumericProperty(p); };
  const std::vector<KnownDeviation>& records = known.records();
  const bool avx512 = std::any_of(records.begin(), records.end(), [](const KnownDeviation& d) {
    return d.id == "libtorch-1.13-onednn-bf16-backward-huge-stride-hangs";
  });
  if (avx512) {  // the record needs AVX-512 (cpu_flags): elsewhere it is not loaded
    ASSERT_TRUE(known.TimeLimitFor(backward_hang, numeric).has_value());
    EXPECT_LE(*known.TimeLimitFor(backward_hang, numeric), 0.5);
    EXPECT_EQ(known.TimeLimitFor(backward_hang), known.TimeLimitFor(backward_hang, numeric)) << "every record counts without a filter";
  }
  EXPECT_EQ(known.TimeLimitFor(backward_hang, shapes), std::nullopt) << "the forward does not hang";
  ASSERT_TRUE(known.TimeLimitFor(pool_hang, shapes).has_value()) << "max_pool1d's hang is ValidityAgrees'";
  EXPECT_EQ(known.TimeLimitFor(pool_hang, numeric), std::nullopt);
  EXPECT_TRUE(IsNumericProperty("GradientIsTranspose"));
  EXPECT_FALSE(IsNumericProperty("ValidityAgrees"));
  EXPECT_FALSE(IsNumericProperty("RoundTripRestoresInput"));
}

TEST(KnownDeviations, OnlyATimeoutRecordMayStateATimeLimit) {
  const fs::path dir = fs::temp_directory_path() / "convcheck_known_time_limit";
  fs::create_directories(dir);
  std::ofstream(dir / "bad.json") << R"({"format":1,"id":"x","property":"ShapeAgrees","verdict":"shape_mismatch","framework":"libtorch","evidence":"e","time_limit_s":1})";
  KnownDeviations known;
  const auto err = KnownDeviations::Load(dir.string(), "libtorch", "1.13.1", &known);
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(err->find("time_limit_s: only a record with verdict \"timeout\""), std::string::npos) << *err;
  fs::remove_all(dir);
}

TEST(KnownDeviations, VersionsCompareNumerically) {
  EXPECT_LT(CompareVersions("1.9", "1.13"), 0);
  EXPECT_EQ(CompareVersions("1.13", "1.13.0"), 0);
  EXPECT_GT(CompareVersions("2.0.1", "2.0"), 0);
}

}  // namespace
}  // namespace convcheck
