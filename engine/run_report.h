// From a run's summary to the report model (reports/report.h): the engine's RunSummary plus
// what the summary does not know (framework, devices, command line, times, shard).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "properties/known_deviations.h"
#include "engine/run_config.h"
#include "engine/engine.h"
#include "reports/report.h"

namespace convcheck {

// What a report's context needs beyond the summary and the config.
struct RunContext {
  std::string framework;          // Backend::Name()
  std::string framework_version;  // Backend::Version()
  std::vector<std::string> devices;
  std::string command_line;
  std::chrono::system_clock::time_point start;
  std::chrono::system_clock::time_point end;
};

// Framework, version and devices from `backend`, the command line of this process, and the
// given start time (end = now).
RunContext MakeRunContext(const Backend& backend, std::chrono::system_clock::time_point start);

// The report of one run (or shard), whichever command ran it. The context is complete unless
// the summary says the run was interrupted.
report::Report BuildRunReport(const RunSummary& summary, const RunConfig& config,
                              const RunContext& context, const KnownDeviations& known);

// The signature's "which rule or which dimension" of a failing result: the rule the oracle
// named, the first output dim whose size differs ("dim 2"), or "" when neither applies.
std::string FailureWhere(const CaseResult& r);

// The failure signature of one divergence (report::Signature of its failure row).
std::string DivergenceSignature(const CaseResult& r);

// Parses --shard into a 0-based index: "i/N" with 1 <= i <= N (as Jest and Playwright count:
// 1/4 ... 4/4), or "N" alone, taking the 0-based i from JOB_COMPLETION_INDEX (as a Kubernetes
// Indexed Job sets it; pass getenv's result, may be null). False with one line on error.
bool ParseShardSpec(const std::string& spec, const char* job_completion_index, int* index,
                    int* count, std::string* error);

}  // namespace convcheck
