// The JSON writer's output validates against reports/report.schema.json (with the small
// validator in json_schema_lite.h), and the validator catches the mistakes it must.
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fixture_report.h"
#include "json_schema_lite.h"
#include "reports/merge.h"
#include "reports/report_json.h"

namespace convcheck::report {
namespace {

using nlohmann::json;
using testing::ValidateJson;

json Schema() {
  std::ifstream in(std::string(CONVCHECK_SOURCE_DIR) + "/reports/report.schema.json");
  return json::parse(in);
}

std::string Joined(const std::vector<std::string>& errors) {
  std::string out;
  for (const std::string& e : errors) out += e + "\n";
  return out;
}

TEST(ReportSchema, FixedReportValidates) {
  const json j = ReportToJson(testing::FixedReport());
  EXPECT_EQ(Joined(ValidateJson(j, Schema())), "") << j.dump();
}

TEST(ReportSchema, EmptyAndMergedReportsValidate) {
  Report empty;
  EXPECT_EQ(Joined(ValidateJson(ReportToJson(empty), Schema())), "");
  Report a = testing::FixedReport(), b = testing::FixedReport();
  a.context.shard_count = b.context.shard_count = 2;
  b.context.shards = {1};
  const MergeResult m = MergeReports({a, b}, {}, {});
  ASSERT_TRUE(m.ok()) << m.error;
  EXPECT_EQ(Joined(ValidateJson(ReportToJson(*m.value), Schema())), "");
}

// The framework's captured warnings validate, read back, and add up across shards.
TEST(ReportSchema, LibraryOutputValidatesReadsBackAndMergesByLine) {
  Report a = testing::FixedReport(), b = testing::FixedReport();
  a.library_output = {{"W Convolution.cpp:895] Warning: x", 2}, {"WARNING: Logging before", 2}};
  b.library_output = {{"WARNING: Logging before", 3}};
  EXPECT_EQ(Joined(ValidateJson(ReportToJson(a), Schema())), "");
  const ReportParseResult back = ParseReportText(ReportToJson(a).dump());
  ASSERT_TRUE(back.ok()) << back.error;
  ASSERT_EQ(back.value->library_output.size(), 2u);
  EXPECT_EQ(back.value->library_output[1].count, 2);
  a.context.shard_count = b.context.shard_count = 2;
  b.context.shards = {1};
  const MergeResult m = MergeReports({a, b}, {}, {});
  ASSERT_TRUE(m.ok()) << m.error;
  ASSERT_EQ(m.value->library_output.size(), 2u);
  EXPECT_EQ(m.value->library_output[1].text, "WARNING: Logging before");
  EXPECT_EQ(m.value->library_output[1].count, 5);
  EXPECT_FALSE(ReportToJson(testing::FixedReport()).contains("library_output"));
}

TEST(ReportSchema, ValidatorRejectsWhatTheSchemaForbids) {
  const json schema = Schema();
  json j = ReportToJson(testing::FixedReport());
  j["failures"][0]["verdict"] = "agreed";
  j["counts"][0]["verdicts"].erase("crash");
  j["context"]["extra"] = 1;
  j["known"][0]["xfail"] = -1;
  j["heatmaps"][0]["cells"][0]["rate"] = "nan";
  j["schema_version"] = 2;
  const std::vector<std::string> errors = ValidateJson(j, schema);
  EXPECT_EQ(errors.size(), 6u) << Joined(errors);
}

TEST(ReportSchema, ValidatorRefusesKeywordsItDoesNotImplement) {
  const json schema = json::parse(R"({"type": "object", "oneOf": []})");
  EXPECT_EQ(ValidateJson(json::object(), schema).size(), 1u);
}

}  // namespace
}  // namespace convcheck::report
