// `convcheck report merge|diff|render|trend`: work on report JSON files after the runs, e.g.
// merging the shards of a nightly matrix, gating CI on new divergences, re-rendering a format.
#include <filesystem>
#include <iostream>
#include <sstream>

#include "case_io/text_file.h"
#include "cli/command.h"
#include "reports/atomic_file.h"
#include "reports/diff.h"
#include "reports/framework_diff.h"
#include "reports/merge.h"
#include "reports/outputs.h"
#include "reports/report_json.h"
#include "reports/scoreboard.h"
#include "reports/trend.h"

namespace convcheck::cli {
namespace {

using report::Report;

bool LoadReport(const std::string& path, Report* out, std::string* error) {
  std::string text;
  if (!ReadTextFile(path, &text, error)) return false;
  report::ReportParseResult parsed = report::ParseReportText(text);
  if (!parsed.ok()) {
    *error = path + ": " + parsed.error;
    return false;
  }
  *out = std::move(*parsed.value);
  return true;
}

struct ReportArgs {
  std::vector<std::string> inputs;
  std::string output;
  report::OutputPaths outputs;
  bool force = false;
  bool allow_incomplete = false;
  bool fail_on_xpass = false;
};

int Fail(const std::string& what, const std::string& error) {
  std::cerr << "convcheck report " << what << ": " << error << "\n";
  return kUsage;
}

int RunMerge(ReportArgs& a) {
  std::vector<Report> parts(a.inputs.size());
  std::string error;
  for (size_t i = 0; i < a.inputs.size(); ++i) {
    if (!LoadReport(a.inputs[i], &parts[i], &error)) return Fail("merge", error);
  }
  report::MergeResult merged = report::MergeReports(parts, a.inputs, {a.force, a.allow_incomplete});
  for (const std::string& w : merged.warnings) std::cerr << "convcheck report merge: warning: " << w << "\n";
  if (!merged.ok()) return Fail("merge", merged.error);
  a.outputs.json = a.output;
  if (!report::WriteOutputs(*merged.value, a.outputs, &error)) return Fail("merge", error);
  const report::Totals& t = merged.value->totals;
  std::cout << "merged " << parts.size() << " reports: " << merged.value->context.cases << " cases, "
            << t.unexpected << " unexpected divergences (" << t.signatures << " signatures), "
            << t.xfail << " xfail, " << t.xpass << " xpass"
            << (merged.value->context.complete ? "" : " (incomplete)") << "\n";
  return kOk;
}

// One side of `report diff`: the report at `path`, or, when there is no file there, the
// per-backend reports a several-backend run wrote for --report `path` (r.libtorch.json, ...).
bool LoadDiffSide(const std::string& path, std::vector<Report>* out, std::string* error) {
  std::vector<std::string> paths;
  std::error_code ec;
  if (std::filesystem::status(path, ec).type() != std::filesystem::file_type::not_found) {
    out->emplace_back();
    return LoadReport(path, &out->back(), error);
  }
  if (!report::LoadReportSet(path, out, &paths, error)) return false;
  if (out->empty()) *error = path + ": no such report, nor per-backend reports beside it (<name>.<backend>.json)";
  return !out->empty();
}

int RunDiff(ReportArgs& a) {
  std::vector<Report> before, after;
  std::string error;
  if (!LoadDiffSide(a.inputs[0], &before, &error) || !LoadDiffSide(a.inputs[1], &after, &error)) {
    return Fail("diff", error);
  }
  std::ostringstream text;
  int found = 0;
  if (before.size() == 1 && after.size() == 1) {
    const report::ReportDiff d = report::DiffReports(before[0], after[0]);
    for (const std::string& w : d.warnings) std::cerr << "convcheck report diff: warning: " << w << "\n";
    report::WriteDiffMarkdown(d, text);
    found = report::DiffExitCode(d, a.fail_on_xpass);
  } else {
    report::ReportSetDiff d;
    if (!report::DiffReportSets(before, after, &d, &error)) return Fail("diff", error);
    for (const std::string& w : d.warnings) std::cerr << "convcheck report diff: warning: " << w << "\n";
    for (const report::FrameworkDiff& f : d.frameworks) {
      for (const std::string& w : f.diff.warnings) std::cerr << "convcheck report diff: warning: " << f.framework << ": " << w << "\n";
    }
    report::WriteDiffMarkdown(d, text);
    found = report::DiffExitCode(d, a.fail_on_xpass);
  }
  std::cout << text.str();
  if (!a.output.empty() && !report::WriteFileAtomically(a.output, text.str(), &error)) {
    return Fail("diff", error);
  }
  return found ? kFound : kOk;
}

int RunRender(ReportArgs& a) {
  Report r;
  std::string error;
  if (!LoadReport(a.inputs[0], &r, &error)) return Fail("render", error);
  if (!a.outputs.any()) return Fail("render", "nothing to write: give --html, --junit, --markdown or --json");
  if (!report::WriteOutputs(r, a.outputs, &error)) return Fail("render", error);
  return kOk;
}

int RunTrend(ReportArgs& a) {
  std::vector<report::TrendPoint> points;
  std::vector<std::string> skipped;
  std::string error;
  if (!report::LoadTrend(a.inputs[0], &points, &skipped, &error)) return Fail("trend", error);
  for (const std::string& s : skipped) std::cerr << "convcheck report trend: skipped " << s << "\n";
  if (points.empty()) return Fail("trend", a.inputs[0] + ": no report JSON files");
  std::ostringstream html;
  report::WriteTrendHtml(points, html);
  if (!report::WriteFileAtomically(a.output, html.str(), &error)) return Fail("trend", error);
  std::cout << "trend over " << points.size() << " reports written to " << a.output << "\n";
  return kOk;
}

// Reports of one run per backend -> the framework × op × property scoreboard (Markdown, HTML).
int RunScoreboard(ReportArgs& a) {
  std::vector<Report> reports(a.inputs.size());
  std::string error;
  for (size_t i = 0; i < a.inputs.size(); ++i) {
    if (!LoadReport(a.inputs[i], &reports[i], &error)) return Fail("scoreboard", error);
  }
  if (a.outputs.markdown.empty() && a.outputs.html.empty()) return Fail("scoreboard", "nothing to write: give --markdown and/or --html");
  const report::Scoreboard board = report::BuildScoreboard(reports);
  std::ostringstream md, html;
  report::WriteScoreboardMarkdown(board, md);
  report::WriteScoreboardHtml(board, html);
  if ((!a.outputs.markdown.empty() && !report::WriteFileAtomically(a.outputs.markdown, md.str(), &error)) ||
      (!a.outputs.html.empty() && !report::WriteFileAtomically(a.outputs.html, html.str(), &error))) {
    return Fail("scoreboard", error);
  }
  std::cout << "scoreboard of " << reports.size() << " frameworks written\n";
  return kOk;
}

void AddFormatFlags(CLI::App* cmd, ReportArgs* a) {
  cmd->add_option("--html", a->outputs.html, "write the self-contained HTML page here");
  cmd->add_option("--junit", a->outputs.junit, "write JUnit XML here");
  cmd->add_option("--markdown", a->outputs.markdown, "write the Markdown summary here");
}

void Register(CLI::App& app, int* exit_code) {
  CLI::App* report = app.add_subcommand(
      "report", "Merge, compare and render report JSON files (written by run --report).");
  report->require_subcommand(1);
  auto args = std::make_shared<ReportArgs>();
  CLI::App* merge = report->add_subcommand(
      "merge", "Merge shard reports into one. Refuses different seeds, framework versions or shard\n"
               "counts unless --force, and missing shards (exit 2, naming them) unless\n"
               "--allow-incomplete. Example: convcheck report merge examples/reports/night.json -o /tmp/convcheck-merged.json");
  merge->add_option("inputs", args->inputs, "shard report JSON files")->required()->check(CLI::ExistingFile);
  merge->add_option("-o,--output", args->output, "merged report JSON")->required();
  merge->add_flag("--force", args->force, "merge despite mismatches (warned)");
  merge->add_flag("--allow-incomplete", args->allow_incomplete,
                  "merge although shards are missing; the report is marked incomplete (warned)");
  AddFormatFlags(merge, args.get());
  merge->callback([args, exit_code] { *exit_code = RunMerge(*args); });
  CLI::App* diff = report->add_subcommand(
      "diff", "Compare two reports: new divergences, fixed ones, ones now explained by a newly\n"
              "added known deviation, new xpass, changed counts. Warns when the runs differ in seed,\n"
              "budget, framework or known deviations. Exit 1 when there are new divergence\n"
              "signatures (CI can gate on it), else 0. Per framework: a path where no file is but\n"
              "per-backend reports are (run --backend libtorch,opencv --report r.json wrote r.libtorch.json\n"
              "and r.opencv.json) diffs each framework's pair, each under its own heading.\n"
              "Example: convcheck report diff examples/reports/last.json examples/reports/night.json --markdown -");
  diff->add_option("inputs", args->inputs, "BEFORE.json AFTER.json (a report, or a several-backend run's --report path)")
      ->required()->expected(2);
  diff->add_option("--markdown", args->output, "also write the diff (Markdown) here");
  diff->add_flag("--fail-on-xpass", args->fail_on_xpass, "also exit 1 on new xpass or an incomplete AFTER report");
  diff->callback([args, exit_code] { *exit_code = RunDiff(*args); });
  CLI::App* render = report->add_subcommand(
      "render", "Re-render a report JSON in other formats. Example:\n"
                "convcheck report render examples/reports/night.json --html /tmp/convcheck-night.html --junit -");
  render->add_option("input", args->inputs, "report JSON")->required()->expected(1)->check(CLI::ExistingFile);
  render->add_option("--json", args->outputs.json, "write the JSON again (normalized) here");
  AddFormatFlags(render, args.get());
  render->callback([args, exit_code] { *exit_code = RunRender(*args); });
  CLI::App* scoreboard = report->add_subcommand(
      "scoreboard", "The framework x op x property matrix of reports from one run per backend (run --backend\n"
                    "a,b --report r.json writes r.a.json, r.b.json). Example:\n"
                    "convcheck report scoreboard examples/reports/last.json examples/reports/night.json --markdown /tmp/convcheck-board.md");
  scoreboard->add_option("inputs", args->inputs, "report JSON files, one per framework")->required()->check(CLI::ExistingFile);
  scoreboard->add_option("--markdown", args->outputs.markdown, "write the Markdown matrix here");
  scoreboard->add_option("--html", args->outputs.html, "write the HTML matrix here");
  scoreboard->callback([args, exit_code] { *exit_code = RunScoreboard(*args); });
  CLI::App* trend = report->add_subcommand(
      "trend", "One HTML page with divergence counts over time from a folder of nightly reports.\n"
               "Example: convcheck report trend examples/reports/ -o /tmp/convcheck-trend.html");
  trend->add_option("dir", args->inputs, "folder of report JSON files")->required()->expected(1)->check(CLI::ExistingDirectory);
  trend->add_option("-o,--output", args->output, "HTML file")->required();
  trend->callback([args, exit_code] { *exit_code = RunTrend(*args); });
}

CONVCHECK_REGISTER_COMMAND(Register);

}  // namespace
}  // namespace convcheck::cli
