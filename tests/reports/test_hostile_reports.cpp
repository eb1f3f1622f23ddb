// Reports from elsewhere are validated on read, every output is written atomically without
// following a planted symlink, and escapes hold for strings XML and Markdown cannot carry (#16).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fixture_report.h"
#include "reports/atomic_file.h"
#include "reports/escape.h"
#include "reports/merge.h"
#include "reports/report_json.h"

namespace convcheck::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::FixedReport;

std::string ErrorWith(const std::string& pointer, const json& value) {
  json j = ReportToJson(FixedReport());
  j[json::json_pointer(pointer)] = value;
  const ReportParseResult r = ParseReportText(j.dump());
  return r.ok() ? "accepted" : r.error;
}

TEST(ReportReader, RefusesWrongTypesAndOutOfRangeNumbersWithTheirPath) {
  EXPECT_EQ(ErrorWith("/counts/0/verdicts/agree", 1.5), "counts[0].verdicts.agree: expected an integer, got 1.5");
  EXPECT_EQ(ErrorWith("/counts/0/verdicts/agree", json::parse("18446744073709551616")),
            "counts[0].verdicts.agree: expected an integer, got 1.8446744073709552e+19");
  EXPECT_EQ(ErrorWith("/counts/0/verdicts/agree", json::parse("9223372036854775807")),
            "counts[0].verdicts.agree: 9223372036854775807 is outside 0..1099511627776");
  EXPECT_EQ(ErrorWith("/counts/0/xfail", -1), "counts[0].xfail: -1 is outside 0..1099511627776");
  EXPECT_EQ(ErrorWith("/schema_version", json::parse("4294967297")),
            "report.schema_version: 4294967297 is outside 1.." + std::to_string(kSchemaVersion));
  EXPECT_EQ(ErrorWith("/context/shard_count", 2147483647), "context.shard_count: 2147483647 is outside 1..65536");
  EXPECT_EQ(ErrorWith("/context/shards/0", 3), "context.shards[0]: 3 is outside 0..0");
  EXPECT_EQ(ErrorWith("/context/seed", -7), "context.seed: expected a non-negative integer, got -7");
}

TEST(ReportMerge, TwentyThousandSignaturesMergeIntoTwentyThousandRows) {
  Report a = FixedReport(), b = FixedReport();
  const Failure model = a.failures.front();
  a.failures.clear();
  b.failures.clear();
  for (int i = 0; i < 20000; ++i) {
    Failure f = model;
    f.property = "P" + std::to_string(i);
    (i % 2 ? a : b).failures.push_back(f);
  }
  b.context.shards = {0};
  MergeOptions options;
  options.force = true;
  // Correctness only: the merge's speed is a benchmark's business, never a timed assertion.
  const MergeResult r = MergeReports({a, b}, {"a", "b"}, options);
  ASSERT_TRUE(r.value) << r.error;
  EXPECT_EQ(r.value->failures.size(), 20000u);
}

class TempFolder {
 public:
  TempFolder() : path_(fs::temp_directory_path() / ("convcheck-atomic-" + std::to_string(::getpid()))) {
    fs::create_directories(path_);
  }
  ~TempFolder() { fs::remove_all(path_); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

std::string Slurp(const std::string& path) {
  std::stringstream s;
  s << std::ifstream(path).rdbuf();
  return s.str();
}

TEST(AtomicFile, NeverWritesThroughAPlantedSymlink) {
  TempFolder dir;
  const std::string victim = dir / "victim", target = dir / "report.json";
  std::ofstream(victim) << "precious";
  // Every temp name a writer of this project ever used, and the target itself.
  for (const std::string& name : {target + ".tmp", target + ".tmp." + std::to_string(::getpid()), target}) {
    fs::create_symlink(victim, name);
  }
  std::string error;
  ASSERT_TRUE(WriteFileAtomically(target, "new", &error)) << error;
  EXPECT_EQ(Slurp(victim), "precious");
  EXPECT_FALSE(fs::is_symlink(target));
  EXPECT_EQ(Slurp(target), "new");
}

TEST(AtomicFile, KeepRefusesAnExistingTargetAndLeavesNoTempFile) {
  TempFolder dir;
  std::string error;
  ASSERT_TRUE(WriteFileAtomically(dir / "a.json", "one", &error, IfExists::kKeep)) << error;
  EXPECT_FALSE(WriteFileAtomically(dir / "a.json", "two", &error, IfExists::kKeep));
  EXPECT_EQ(error, "exists");
  EXPECT_EQ(Slurp(dir / "a.json"), "one");
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(fs::path(dir / "a.json").parent_path())) files += !e.is_directory();
  EXPECT_EQ(files, 1u);
}

TEST(Escape, XmlReplacesCharactersXmlCannotHold) {
  EXPECT_EQ(XmlEscape("a\xEF\xBF\xBE" "b\xEF\xBF\xBF" "c"), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c");  // U+FFFE, U+FFFF
  EXPECT_EQ(XmlEscape("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a UTF-8 encoded surrogate
  EXPECT_EQ(XmlEscape("\x01<&\xC3\xA9"), "&lt;&amp;\xC3\xA9");
}

TEST(Escape, MarkdownEscapesRawHtmlAndControlCharacters) {
  EXPECT_EQ(MarkdownCell("<script>x</script>|\x1b[31m"), "&lt;script&gt;x&lt;/script&gt;\\|\xEF\xBF\xBD[31m");
  EXPECT_EQ(MarkdownFence("py", "a ``` b"), "````py\na ``` b\n````\n");
}

}  // namespace
}  // namespace convcheck::report
