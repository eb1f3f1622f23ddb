#include "engine/run_report.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>
#include <tuple>

#include "engine/reproducer.h"
#include "reports/summarize.h"
#include "reports/tool_info.h"

namespace convcheck {
namespace {

// The process's own argv, from /proc (the CLI's subcommand callbacks never see argv).
std::string ThisCommandLine() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string out;
  std::istringstream parts(all);
  for (std::string arg; std::getline(parts, arg, '\0');) out += (out.empty() ? "" : " ") + arg;
  return out;
}

// The fields report::Signature reads; the terminal's grouping and the report's share them.
report::Failure SignatureFields(const CaseResult& r) {
  report::Failure f;
  f.property = r.property;
  f.verdict = r.verdict;
  f.op = r.c.op;
  f.where = FailureWhere(r);
  f.minimal_case = r.c;
  f.backend = r.backend;
  f.outcome = DescribeOutcome(r.outcome);  // its message splits signatures
  return f;
}

report::Failure ToFailure(const CaseResult& r) {
  report::Failure f = SignatureFields(r);
  f.occurrences = 1;
  f.expectation = DescribeExpectation(r.expected);
  f.outcome = DescribeOutcome(r.outcome);
  f.messages = {{f.outcome, 1}};
  f.detail = r.detail;
  f.cpp_repro = CppRepro(r.c);
  f.python_repro = PythonRepro(r.c);
  return f;
}

report::Context ToContext(const RunSummary& s, const RunConfig& config, const RunContext& rc) {
  report::Context c;
  c.tool_version = report::ToolVersion();
  c.git_revision = report::ToolGitRevision();
  c.framework = rc.framework;
  c.framework_version = rc.framework_version;
  c.devices = rc.devices;
  for (DType t : config.dtypes) c.dtypes.push_back(DTypeName(t));
  c.seed = s.seed;
  c.shard_count = std::max(config.shard_count, 1);
  c.shards = {config.shard_index};
  c.budget_cases = config.seconds > 0 ? 0 : config.cases;
  c.budget_seconds = config.seconds;
  c.start_time = report::UtcTimestamp(rc.start);
  c.end_time = report::UtcTimestamp(rc.end);
  c.host_cpus = static_cast<int>(std::thread::hardware_concurrency());
  c.command_line = rc.command_line;
  c.cases = s.cases;
  c.seconds = s.seconds;
  c.complete = !s.interrupted;
  return c;
}

}  // namespace

RunContext MakeRunContext(const Backend& backend, std::chrono::system_clock::time_point start) {
  RunContext c;
  c.framework = backend.Name();
  c.framework_version = backend.Version();
  for (Device d : backend.Devices()) c.devices.push_back(DeviceName(d));
  c.command_line = ThisCommandLine();
  c.start = start;
  c.end = std::chrono::system_clock::now();
  return c;
}

std::string FailureWhere(const CaseResult& r) {
  if (!r.expected.ok()) return RuleName(r.expected.violation().rule);
  if (r.outcome.kind != BackendOutcome::Kind::kShape) return "";
  const Dims& want = r.expected.shape();
  const Dims& got = r.outcome.shape;
  if (want.size() != got.size()) return "rank";
  for (size_t d = 0; d < want.size(); ++d) {
    if (want[d] != got[d]) return "dim " + std::to_string(d);
  }
  return "";
}

std::string DivergenceSignature(const CaseResult& r) { return report::Signature(SignatureFields(r)); }

report::Report BuildRunReport(const RunSummary& summary, const RunConfig& config,
                              const RunContext& context, const KnownDeviations& known) {
  report::Report rep;
  rep.context = ToContext(summary, config, context);
  for (const auto& [key, counts] : summary.tallies) {
    report::CountsRow row{key.property, key.op, key.device, key.dtype, {}, counts.xfail, {}};
    for (size_t v = 0; v < kVerdictCount; ++v) row.by_verdict[v] = counts.by_verdict[v];
    row.skipped_by_reason = counts.skipped_by_reason;
    rep.counts.push_back(row);
  }
  for (const CaseResult& r : summary.divergences) report::AddFailure(ToFailure(r), &rep.failures);
  for (size_t k = 0; k < summary.known.size(); ++k) {
    const KnownStatus& s = summary.known[k];
    const bool has_record = k < known.records().size();
    rep.known.push_back({s.id, has_record ? known.records()[k].property : "",
                         has_record ? known.records()[k].evidence : "", s.xfail,
                         // partial records cannot be judged fixed from family cases (xpass)
                         s.partial ? 0 : s.family_agreed});
  }
  rep.kernel_stride = summary.kernel_stride;
  rep.timings = summary.timings;
  report::Summarize(&rep);
  return rep;
}

bool ParseShardSpec(const std::string& spec, const char* job_completion_index, int* index,
                    int* count, std::string* error) {
  const size_t slash = spec.find('/');
  const bool from_env = slash == std::string::npos;
  const std::string index_text = from_env ? (job_completion_index ? job_completion_index : "") : spec.substr(0, slash);
  const std::string count_text = from_env ? spec : spec.substr(slash + 1);
  if (index_text.empty()) {
    *error = "--shard " + spec + ": no index (give i/N with i from 1, or N with JOB_COMPLETION_INDEX set)";
    return false;
  }
  int given = 0;
  try {
    size_t used_i = 0, used_n = 0;
    given = std::stoi(index_text, &used_i);
    *count = std::stoi(count_text, &used_n);
    if (used_i != index_text.size() || used_n != count_text.size()) throw std::invalid_argument("");
  } catch (const std::exception&) {
    *error = "--shard " + spec + ": expected i/N or N with integers (index '" + index_text + "')";
    return false;
  }
  // i/N counts from 1 as Jest and Playwright do (1/4 ... 4/4); JOB_COMPLETION_INDEX counts from 0
  // as Kubernetes sets it. Internally the index is 0-based.
  const int first = from_env ? 0 : 1;
  if (*count < 1 || given < first || given >= *count + first) {
    *error = from_env ? "--shard " + spec + ": JOB_COMPLETION_INDEX must be 0 <= i < N (got i=" + index_text +
                            ", N=" + count_text + ")"
                      : "--shard " + spec + ": need 1 <= i <= N (got i=" + index_text + ", N=" + count_text +
                            "; shards are 1/N ... N/N)";
    return false;
  }
  *index = given - first;
  return true;
}

}  // namespace convcheck
