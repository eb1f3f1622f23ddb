// The conformance scoreboard: framework × op × property, one cell per combination, from the
// reports of one run per backend (`run --backend a,b,c` writes one each), like ONNX's backend
// scoreboard. A cell says what executed and how it ended; a property that executed nothing for
// a framework says "skipped" with the count, never a pass.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "reports/report.h"

namespace convcheck::report {

struct ScoreCell {
  int64_t executed = 0;    // checks that ran (every verdict but skipped)
  int64_t agreed = 0;      // agreements (xfail not included)
  int64_t unexpected = 0;  // failures no known deviation explains
  int64_t xfail = 0;
  int64_t skipped = 0;
};

struct Scoreboard {
  std::vector<std::string> frameworks;  // "onnx 1.12.0", in the reports' order
  std::vector<std::string> ops;         // op names present, in enum order
  std::vector<std::string> properties;  // sorted
  // cells[f][o][p]
  std::vector<std::vector<std::vector<ScoreCell>>> cells;
};

Scoreboard BuildScoreboard(const std::vector<Report>& reports);

// "✓ 812", "✗ 3 of 812 (+12 xfail)", "xfail 12 of 40", "skipped 97", "" (nothing offered).
std::string CellText(const ScoreCell& c);

void WriteScoreboardMarkdown(const Scoreboard& s, std::ostream& os);
void WriteScoreboardHtml(const Scoreboard& s, std::ostream& os);

}  // namespace convcheck::report
