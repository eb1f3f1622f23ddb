// Comparing two reports (last night's and tonight's): which failure signatures are new, which
// disappeared (fixed, or now explained by a newly added known deviation), which known
// deviations started to pass, which rows' counts changed, and whether the two runs are like
// for like at all. The exit code of `convcheck report diff` comes from DiffExitCode so a CI job
// can gate on it.
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

// A signature that disappeared from the failures while `after` gained known deviations of its
// property that explain failures (xfail > 0): new records, or records that now list its
// property. Most likely absorbed as xfail, not fixed.
struct NowKnown {
  Failure failure;                     // as in `before`
  std::vector<std::string> known_ids;  // the newly added deviations of its property, sorted
};

struct ReportDiff {
  std::vector<Failure> new_failures;  // signatures in `after` only
  std::vector<Failure> fixed;         // signatures in `before` only (and not in now_known)
  std::vector<NowKnown> now_known;    // signatures in `before` only, explained by a new deviation
  std::vector<std::string> new_xpass; // known deviations xpass in `after` but not in `before`
  std::vector<CountChange> changed;
  bool after_incomplete = false;
  // The runs are not like for like: they differ in seed, budget, framework (or its version) or
  // the set of known-deviation ids. One line each ("seed differs: 3 → 4").
  std::vector<std::string> warnings;
};

ReportDiff DiffReports(const Report& before, const Report& after);

// 1 when there are new failure signatures (or, with `fail_on_xpass`, new xpass, or
// `after` is incomplete); 0 otherwise.
int DiffExitCode(const ReportDiff& d, bool fail_on_xpass);

// A Markdown summary of the diff (warnings first, then "### New divergences" ...), suitable for
// a PR comment; its first heading reads "## <title>: N new, ...".
void WriteDiffMarkdown(const ReportDiff& d, std::ostream& os, const std::string& title = "convcheck diff");

}  // namespace convcheck::report
