#include "reports/framework_diff.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "case_io/text_file.h"
#include "reports/report_json.h"

namespace convcheck::report {
namespace {

// framework -> report; false with `error` on a repeated framework.
bool ByFramework(const std::vector<Report>& set, const char* side, std::map<std::string, const Report*>* out,
                 std::string* error) {
  for (const Report& r : set) {
    if (!out->emplace(r.context.framework, &r).second) {
      *error = std::string("two ") + side + " reports of framework \"" + r.context.framework + "\"";
      return false;
    }
  }
  return true;
}

}  // namespace

bool DiffReportSets(const std::vector<Report>& before, const std::vector<Report>& after, ReportSetDiff* out,
                    std::string* error) {
  std::map<std::string, const Report*> a, b;
  if (!ByFramework(before, "BEFORE", &a, error) || !ByFramework(after, "AFTER", &b, error)) return false;
  *out = {};
  for (const auto& [framework, report] : a) {
    if (!b.count(framework)) out->warnings.push_back(framework + ": no report after (not run; not diffed)");
  }
  for (const auto& [framework, report] : b) {
    const auto was = a.find(framework);
    if (was != a.end()) {
      out->frameworks.push_back({framework, DiffReports(*was->second, *report)});
      continue;
    }
    out->warnings.push_back(framework + ": no report before (every failure counts as new)");
    Report empty;
    empty.context = report->context;  // like for like: only the records are missing
    empty.context.complete = true;
    out->frameworks.push_back({framework, DiffReports(empty, *report)});
  }
  return true;
}

int DiffExitCode(const ReportSetDiff& d, bool fail_on_xpass) {
  for (const FrameworkDiff& f : d.frameworks) {
    if (DiffExitCode(f.diff, fail_on_xpass)) return 1;
  }
  return 0;
}

void WriteDiffMarkdown(const ReportSetDiff& d, std::ostream& os) {
  os << "# convcheck diff per framework\n\n| framework | new | fixed | now known | new xpass | rows changed |\n"
     << "|---|---|---|---|---|---|\n";
  for (const FrameworkDiff& f : d.frameworks) {
    os << "| " << f.framework << " | " << f.diff.new_failures.size() << " | " << f.diff.fixed.size() << " | "
       << f.diff.now_known.size() << " | " << f.diff.new_xpass.size() << " | " << f.diff.changed.size() << " |\n";
  }
  os << "\n";
  for (const std::string& w : d.warnings) os << "> **Warning**: " << w << ".\n\n";
  for (const FrameworkDiff& f : d.frameworks) {
    WriteDiffMarkdown(f.diff, os, "convcheck diff, " + f.framework);
    os << "\n";
  }
}

bool LoadReportSet(const std::string& path, std::vector<Report>* reports, std::vector<std::string>* paths,
                   std::string* error) {
  namespace fs = std::filesystem;
  const fs::path given(path);
  const std::string stem = given.stem().string(), ext = given.extension().string();
  const fs::path dir = given.has_parent_path() ? given.parent_path() : fs::path(".");
  std::error_code ec;
  std::vector<std::pair<std::string, fs::path>> found;  // name -> file
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string file = it->path().filename().string();
    const std::string prefix = stem + ".";
    if (file.size() <= prefix.size() + ext.size() || file.compare(0, prefix.size(), prefix) != 0 ||
        file.compare(file.size() - ext.size(), ext.size(), ext) != 0) {
      continue;
    }
    const std::string name = file.substr(prefix.size(), file.size() - prefix.size() - ext.size());
    if (name.find('.') == std::string::npos) found.emplace_back(name, it->path());
  }
  std::sort(found.begin(), found.end());
  for (const auto& [name, file] : found) {
    std::string text;
    if (!ReadTextFile(file.string(), &text, error)) return false;
    ReportParseResult parsed = ParseReportText(text);
    if (!parsed.ok()) {
      *error = file.string() + ": " + parsed.error;
      return false;
    }
    if (parsed.value->context.framework != name) continue;  // not a per-backend report of this run
    reports->push_back(std::move(*parsed.value));
    paths->push_back(file.string());
  }
  return true;
}

}  // namespace convcheck::report
