// The framework × op × property scoreboard: each cell from that framework's rows, failures net
// of xfail, and a property that executed nothing shown as skipped, never as a pass.
#include <gtest/gtest.h>

#include <sstream>

#include "reports/scoreboard.h"

namespace convcheck::report {
namespace {

CountsRow Row(const std::string& property, Op op, std::initializer_list<std::pair<Verdict, int64_t>> counts, int64_t xfail = 0) {
  CountsRow r;
  r.property = property;
  r.op = op;
  for (const auto& [v, n] : counts) r.by_verdict[static_cast<size_t>(v)] = n;
  r.xfail = xfail;
  return r;
}

Report Framework(const std::string& name, std::vector<CountsRow> rows) {
  Report r;
  r.context.framework = name;
  r.context.framework_version = "1.0";
  r.counts = std::move(rows);
  return r;
}

TEST(Scoreboard, OneRowPerFrameworkAndOpOneColumnPerProperty) {
  const std::vector<Report> reports = {
      Framework("libtorch", {Row("ShapeAgrees", Op::kConv2d, {{Verdict::kAgree, 10}}),
                             Row("ValidityAgrees", Op::kConv2d, {{Verdict::kBothRejected, 4}, {Verdict::kOracleOnlyRejected, 2}}, 2)}),
      Framework("opencv", {Row("ShapeAgrees", Op::kConv2d, {{Verdict::kAgree, 7}, {Verdict::kShapeMismatch, 3}}, 1),
                           Row("ValidityAgrees", Op::kConv2d, {{Verdict::kSkipped, 9}})}),
  };
  const Scoreboard s = BuildScoreboard(reports);
  ASSERT_EQ(s.frameworks, (std::vector<std::string>{"libtorch 1.0", "opencv 1.0"}));
  ASSERT_EQ(s.ops, (std::vector<std::string>{"conv2d"}));
  ASSERT_EQ(s.properties, (std::vector<std::string>{"ShapeAgrees", "ValidityAgrees"}));
  EXPECT_EQ(CellText(s.cells[0][0][0]), "✓ 10");
  EXPECT_EQ(CellText(s.cells[0][0][1]), "✓ 6 (+2 xfail)");
  EXPECT_EQ(CellText(s.cells[1][0][0]), "✗ 2 of 10 (+1 xfail)");
  EXPECT_EQ(CellText(s.cells[1][0][1]), "skipped 9");
  std::ostringstream md, html;
  WriteScoreboardMarkdown(s, md);
  WriteScoreboardHtml(s, html);
  EXPECT_NE(md.str().find("| opencv 1.0 | conv2d | ✗ 2 of 10 (+1 xfail) | skipped 9 |"), std::string::npos) << md.str();
  EXPECT_NE(html.str().find("<td class=\"skip\">skipped 9</td>"), std::string::npos) << html.str();
}

}  // namespace
}  // namespace convcheck::report
