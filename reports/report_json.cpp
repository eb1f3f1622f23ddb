#include "reports/report_json.h"

#include <cmath>
#include <map>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "case_io/case_json.h"
#include "reports/summarize.h"

namespace convcheck::report {
namespace {

using nlohmann::json;

json Number(double x) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
  return x;
}

json VerdictCounts(const std::array<int64_t, kVerdictCount>& counts) {
  json j = json::object();
  for (Verdict v : kAllVerdicts) j[VerdictName(v)] = counts[static_cast<size_t>(v)];
  return j;
}

json Reasons(const std::map<std::string, int64_t>& reasons) {
  json j = json::object();
  for (const auto& [reason, n] : reasons) j[reason] = n;
  return j;
}

json ContextToJson(const Context& c) {
  return {{"tool_version", c.tool_version},   {"git_revision", c.git_revision},
          {"framework", c.framework},         {"framework_version", c.framework_version},
          {"devices", c.devices},             {"cuda_version", c.cuda_version},
          {"cudnn_version", c.cudnn_version}, {"dtypes", c.dtypes},
          {"seed", c.seed},                   {"shard_count", c.shard_count},
          {"shards", c.shards},               {"budget_cases", c.budget_cases},
          {"budget_seconds", Number(c.budget_seconds)}, {"start_time", c.start_time},
          {"end_time", c.end_time},           {"host_cpus", c.host_cpus},
          {"command_line", c.command_line},   {"cases", c.cases},
          {"seconds", Number(c.seconds)},     {"complete", c.complete}};
}

json FailureToJson(const Failure& f) {
  json messages = json::array();
  for (const MessageCount& m : f.messages) messages.push_back({{"text", m.text}, {"count", m.count}});
  return {{"signature", Signature(f)},
          {"property", f.property},
          {"verdict", VerdictName(f.verdict)},
          {"op", OpName(f.op)},
          {"where", f.where},
          {"backend", f.backend},
          {"occurrences", f.occurrences},
          {"case", CaseToJson(f.minimal_case)},
          {"expectation", f.expectation},
          {"outcome", f.outcome},
          {"detail", f.detail},
          {"messages", messages},
          {"reproducers",
           {{"json", CaseToJsonLine(f.minimal_case)}, {"cpp", f.cpp_repro}, {"python", f.python_repro}}}};
}

json HeatmapToJson(const Heatmap& h) {
  json cells = json::array();
  for (const HeatCell& c : h.cells) {
    cells.push_back({{"cases", c.cases}, {"failures", c.failures}, {"rate", Number(c.rate)}});
  }
  return {{"title", h.title}, {"row_axis", h.row_axis}, {"col_axis", h.col_axis},
          {"rows", h.rows},   {"cols", h.cols},         {"cells", cells}};
}

json TotalsToJson(const Totals& t) {
  return {{"checks", t.checks},         {"by_verdict", VerdictCounts(t.by_verdict)},
          {"unexpected", t.unexpected}, {"xfail", t.xfail},
          {"xpass", t.xpass},           {"signatures", t.signatures},
          {"skipped_reasons", Reasons(t.skipped_by_reason)}};
}

}  // namespace

json ReportToJson(const Report& r) {
  json counts = json::array(), failures = json::array(), known = json::array(),
       grid = json::array(), heatmaps = json::array();
  for (const CountsRow& c : r.counts) {
    counts.push_back({{"property", c.property}, {"op", OpName(c.op)}, {"rank", c.rank()},
                      {"device", DeviceName(c.device)}, {"dtype", DTypeName(c.dtype)},
                      {"verdicts", VerdictCounts(c.by_verdict)}, {"xfail", c.xfail},
                      {"skipped_reasons", Reasons(c.skipped_by_reason)}});
  }
  for (const Failure& f : r.failures) failures.push_back(FailureToJson(f));
  for (const KnownRow& k : r.known) {
    known.push_back({{"id", k.id}, {"property", k.property}, {"evidence", k.evidence},
                     {"xfail", k.xfail}, {"family_agreed", k.family_agreed},
                     {"status", k.xpass() ? "xpass" : (k.xfail > 0 ? "xfail" : "unseen")}});
  }
  for (const KernelStrideCount& k : r.kernel_stride) {
    grid.push_back({{"kernel", k.kernel}, {"stride", k.stride}, {"cases", k.cases}, {"failures", k.failures}});
  }
  for (const Heatmap& h : r.heatmaps) heatmaps.push_back(HeatmapToJson(h));
  json timings = json::array();
  for (const TimeRow& t : r.timings) {
    timings.push_back({{"stage", t.stage}, {"name", t.name}, {"calls", t.calls}, {"seconds", Number(t.seconds)}});
  }
  json j = json::object();
  j["schema_version"] = r.schema_version;
  j["context"] = ContextToJson(r.context);
  j["totals"] = TotalsToJson(r.totals);
  j["counts"] = counts;
  j["failures"] = failures;
  j["known"] = known;
  j["kernel_stride"] = grid;
  j["heatmaps"] = heatmaps;
  j["timings"] = timings;
  if (!r.library_output.empty()) {
    json lines = json::array();
    for (const LibraryLine& l : r.library_output) lines.push_back({{"text", l.text}, {"count", l.count}});
    j["library_output"] = lines;
  }
  return j;
}

void WriteJson(const Report& r, std::ostream& os) { os << ReportToJson(r).dump(2) << "\n"; }

}  // namespace convcheck::report
