// `report diff` per framework. A run with several --backend writes one report per framework
// (--report r.json gives r.libtorch.json, r.opencv.json: cli/backend_loop.h). Two such sets are
// diffed framework by framework, paired by context.framework, so an OpenCV divergence is never
// set against LibTorch's rows and each framework gets its own new / fixed / xpass lists.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "reports/diff.h"
#include "reports/report.h"

namespace convcheck::report {

struct FrameworkDiff {
  std::string framework;  // context.framework: "opencv"
  ReportDiff diff;
};

struct ReportSetDiff {
  std::vector<FrameworkDiff> frameworks;  // by framework name
  // A framework in one set only: "opencv: no report before (every failure counts as new)" (it
  // is then diffed against an empty report), "onnx: no report after (not run; not diffed)".
  std::vector<std::string> warnings;
};

// Pairs `before` and `after` by framework and diffs each pair (DiffReports) into `out`. False
// with one line in `error` when a set holds two reports of one framework.
bool DiffReportSets(const std::vector<Report>& before, const std::vector<Report>& after, ReportSetDiff* out,
                    std::string* error);

// 1 when any framework's diff exits 1 (DiffExitCode); 0 otherwise.
int DiffExitCode(const ReportSetDiff& d, bool fail_on_xpass);

// One line of totals per framework, the set's warnings, then each framework's WriteDiffMarkdown
// under its own heading.
void WriteDiffMarkdown(const ReportSetDiff& d, std::ostream& os);

// The per-framework reports a several-backend run wrote for --report `path`: each file
// "<stem>.<name><ext>" beside it whose context.framework is <name>, sorted by name, in `reports`
// (their paths in `paths`). False with one line in `error` when a matching file cannot be read
// or parsed; true with nothing added when there is none.
bool LoadReportSet(const std::string& path, std::vector<Report>* reports, std::vector<std::string>* paths,
                   std::string* error);

}  // namespace convcheck::report
