// The distinct backend messages within a failure signature: counted when failures merge (in a
// run and across shards), bounded, written to and read from JSON, shown in the HTML report.
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fixture_report.h"
#include "reports/failure_messages.h"
#include "reports/html_writer.h"
#include "reports/report_json.h"
#include "reports/summarize.h"

namespace convcheck::report {
namespace {

Failure Occurrence(const std::string& outcome) {
  Failure f;
  f.property = "ShapeAgrees";
  f.where = "dim 2";
  f.occurrences = 1;
  f.outcome = outcome;
  f.messages = {{outcome, 1}};
  return f;
}

TEST(FailureMessages, MergingCountsEachDistinctMessageMostFrequentFirst) {
  std::vector<Failure> failures;
  for (const char* o : {"shape [1, 3, 10, 9]", "shape [1, 3, 12, 11]", "shape [1, 3, 12, 11]"}) {
    AddFailure(Occurrence(o), &failures);
  }
  ASSERT_EQ(failures.size(), 1u);  // shape mismatches share a signature whatever the shape
  const Failure& f = failures[0];
  EXPECT_EQ(f.occurrences, 3);
  ASSERT_EQ(f.messages.size(), 2u);
  EXPECT_EQ(f.messages[0].text, "shape [1, 3, 12, 11]");
  EXPECT_EQ(f.messages[0].count, 2);
  EXPECT_EQ(f.messages[1].text, "shape [1, 3, 10, 9]");
  EXPECT_EQ(f.messages[1].count, 1);
  EXPECT_EQ(UnlistedOccurrences(f), 0);
}

TEST(FailureMessages, TheListIsBoundedAndTheRestIsCountedAsUnlisted) {
  Failure f = Occurrence("m0");
  for (int i = 1; i < 7; ++i) CombineFailure(Occurrence("m" + std::to_string(i)), &f);
  ASSERT_EQ(f.messages.size(), kMaxFailureMessages);  // m0..m4: ties go by text
  EXPECT_EQ(f.messages.back().text, "m4");
  EXPECT_EQ(UnlistedOccurrences(f), 2);
  Failure shard = Occurrence("m9");  // a shard where m9 was frequent
  shard.occurrences = 3;
  shard.messages = {{"m9", 3}};
  CombineFailure(shard, &f);
  EXPECT_EQ(f.occurrences, 10);
  ASSERT_EQ(f.messages.size(), kMaxFailureMessages);
  EXPECT_EQ(f.messages[0].text, "m9");
  EXPECT_EQ(f.messages[0].count, 3);
  EXPECT_EQ(f.messages.back().text, "m3");
  EXPECT_EQ(UnlistedOccurrences(f), 10 - 3 - 4);
}

TEST(FailureMessages, MergeIsIndependentOfOrder) {
  Failure a = Occurrence("x"), b = Occurrence("y");
  Failure ab = a, ba = b;
  CombineFailure(b, &ab);
  CombineFailure(a, &ba);
  ASSERT_EQ(ab.messages.size(), 2u);
  ASSERT_EQ(ba.messages.size(), 2u);
  for (size_t i = 0; i < 2; ++i) EXPECT_EQ(ab.messages[i].text, ba.messages[i].text);
}

TEST(FailureMessages, RoundTripThroughJsonAndOlderReportsStillRead) {
  const Report r = testing::FixedReport();
  nlohmann::json j = ReportToJson(r);
  const ReportParseResult back = ParseReportText(j.dump());
  ASSERT_TRUE(back.ok()) << back.error;
  ASSERT_EQ(back.value->failures[0].property, "ShapeAgrees");  // sorted by signature
  const Failure& shape = back.value->failures[0];
  ASSERT_EQ(shape.messages.size(), 2u);
  EXPECT_EQ(shape.messages[1].text, "shape [1, 3, 12, 11]");
  for (auto& f : j["failures"]) f.erase("messages");  // a report written before the list
  const ReportParseResult old = ParseReportText(j.dump());
  ASSERT_TRUE(old.ok()) << old.error;
  EXPECT_TRUE(old.value->failures[0].messages.empty());
  j["failures"][0]["messages"] = {{{"text", "x"}, {"count", -1}}};
  const ReportParseResult bad = ParseReportText(j.dump());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error.find("failures[0].messages[0]"), std::string::npos) << bad.error;
}

TEST(FailureMessages, HtmlListsTheMessagesWithCountsAndTheUnlistedRest) {
  std::ostringstream os;
  WriteHtml(testing::FixedReport(), os);
  const std::string html = os.str();
  EXPECT_NE(html.find("<summary>2 distinct backend messages</summary>"), std::string::npos);
  EXPECT_NE(html.find("<li>1 × <code>shape [1, 3, 12, 11]</code></li>"), std::string::npos);
  EXPECT_NE(html.find("<li>1 × other messages"), std::string::npos);  // 3 occurrences, 2 listed
  // The one-occurrence failure without a list (an older report) adds nothing to its outcome line.
  EXPECT_EQ(html.find("0 distinct backend messages"), std::string::npos);
  EXPECT_EQ(html.find("not recorded in this report"), std::string::npos);
}

}  // namespace
}  // namespace convcheck::report
