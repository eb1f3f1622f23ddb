// Comparing two reports (last night's and tonight's): which failure signatures are new, which
// disappeared, which known deviations started to pass, and which rows' counts changed. The
// exit code of `convcheck report diff` comes from DiffExitCode so a CI job can gate on it.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "reports/report.h"

namespace convcheck::report {

// A (property, op, device, dtype) row whose unexpected-failure or xfail count changed.
struct CountChange {
  std::string row;  // "ShapeAgrees conv2d cpu float32"
  int64_t unexpected_before = 0;
  int64_t unexpected_after = 0;
  int64_t xfail_before = 0;
  int64_t xfail_after = 0;
};

struct ReportDiff {
  std::vector<Failure> new_failures;  // signatures in `after` only
  std::vector<Failure> fixed;         // signatures in `before` only
  std::vector<std::string> new_xpass; // known deviations xpass in `after` but not in `before`
  std::vector<CountChange> changed;
  bool after_incomplete = false;
};

ReportDiff DiffReports(const Report& before, const Report& after);

// 1 when there are new failure signatures (or, with `fail_on_xpass`, new xpass, or
// `after` is incomplete); 0 otherwise.
int DiffExitCode(const ReportDiff& d, bool fail_on_xpass);

// A Markdown summary of the diff ("### New divergences" ...), suitable for a PR comment.
void WriteDiffMarkdown(const ReportDiff& d, std::ostream& os);

}  // namespace convcheck::report
