// From a conformance run to the report model (reports/report.h): the runner's RunSummary plus
// what the summary does not know (framework, devices, command line, times, shard), and the
// kernel × stride tally that the runner does not keep (KernelStrideRecorder).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "harness/backends/backend.h"
#include "harness/known_deviations.h"
#include "harness/run_config.h"
#include "harness/runner.h"
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

// Wraps a backend and tallies the base properties (ShapeAgrees / ValidityAgrees) of every case
// the runner draws by kernel × stride bin, so the report can show where divergences cluster.
// It counts RunBatch only: the runner sends each drawn case there exactly once, while shrink
// steps and extra properties call Run (forwarded untallied). Failures explained by a known
// deviation are not counted as divergences.
class KernelStrideRecorder : public Backend {
 public:
  KernelStrideRecorder(Backend& inner, const KnownDeviations& known, uint64_t memory_limit_bytes);
  std::string Name() const override { return inner_.Name(); }
  std::string Version() const override { return inner_.Version(); }
  std::vector<Device> Devices() const override { return inner_.Devices(); }
  BackendOutcome Run(const ConvCase& c) override { return inner_.Run(c); }
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override;
  const std::vector<report::KernelStrideCount>& counts() const { return counts_; }

 private:
  Backend& inner_;
  const KnownDeviations& known_;
  uint64_t memory_limit_bytes_;
  std::vector<report::KernelStrideCount> counts_;
};

// The report of one run (or shard). `kernel_stride` may be empty (no heatmap by kernel).
// The verdicts map one to one (report::VerdictKind mirrors Verdict); the context is complete
// unless the summary says the run was interrupted.
report::Report BuildRunReport(const RunSummary& summary, const RunConfig& config,
                              const RunContext& context, const KnownDeviations& known,
                              const std::vector<report::KernelStrideCount>& kernel_stride);

// The signature's "which rule or which dimension" of a failing result: the rule the oracle
// named, the first output dim whose size differs ("dim 2"), or "" when neither applies.
std::string FailureWhere(const CaseResult& r);

// Parses --shard: "i/N" (0 <= i < N), or "N" alone, taking i from JOB_COMPLETION_INDEX (as set
// by a Kubernetes Indexed Job; pass getenv's result, may be null). False with one line on error.
bool ParseShardSpec(const std::string& spec, const char* job_completion_index, int* index,
                    int* count, std::string* error);

}  // namespace convcheck
