// The conformance report as plain data: what a run (or a merge of shard runs) found, ready for
// any writer. Writers only format these records; everything derived (totals, heatmaps) is filled
// in once by Summarize (reports/summarize.h) so every format prints the same numbers.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "case_io/verdict.h"
#include "oracles/conv_case.h"

namespace convcheck::report {

// Bumped whenever a field changes meaning or disappears (adding optional fields does not).
constexpr int kSchemaVersion = 1;


// Who ran what, where and when. Times are ISO 8601 UTC ("2026-11-24T23:54:52Z").
struct Context {
  std::string tool_version;      // convcheck's version
  std::string git_revision;      // of the convcheck checkout it was built from ("" unknown)
  std::string framework;         // "libtorch"
  std::string framework_version; // "1.13.1"
  std::vector<std::string> devices;  // "cpu", "cuda:0 NVIDIA H100" ...
  std::string cuda_version;      // "" when absent
  std::string cudnn_version;     // "" when absent
  std::vector<std::string> dtypes;
  uint64_t seed = 0;
  int shard_count = 1;
  std::vector<int> shards = {0};  // shard indices covered (a merge covers several)
  int64_t budget_cases = 0;       // 0 when the budget was time
  double budget_seconds = 0;      // 0 when the budget was cases
  std::string start_time;
  std::string end_time;
  int host_cpus = 0;
  std::string command_line;
  int64_t cases = 0;              // cases actually run
  double seconds = 0;             // wall time (a merge sums its shards)
  bool complete = true;           // false: interrupted, or a merge missing shards
};

// Verdict counts of one (property, op, rank, device, dtype) row.
struct CountsRow {
  std::string property;
  Op op = Op::kConv2d;
  Device device = Device::kCpu;
  DType dtype = DType::kFloat32;
  std::array<int64_t, kVerdictCount> by_verdict{};
  int64_t xfail = 0;  // failures (inside by_verdict) explained by a known deviation
  // The skipped results (by_verdict's skipped count) by reason: "no CUDA device" -> 40.
  std::map<std::string, int64_t> skipped_by_reason;

  int rank() const { return SpatialRank(op); }
  int64_t of(Verdict v) const { return by_verdict[static_cast<size_t>(v)]; }
};

// One distinct backend message (outcome text) within a failure signature and how many of the
// signature's occurrences printed it.
struct MessageCount {
  std::string text;
  int64_t count = 0;
};

// Unexpected failures sharing one signature (property, verdict, op, rule or dimension).
struct Failure {
  std::string property;
  Verdict verdict = Verdict::kShapeMismatch;
  Op op = Op::kConv2d;
  std::string where;         // rule name ("kernel_exceeds_input"), "dim 2", or ""
  int64_t occurrences = 0;
  ConvCase minimal_case;     // the smallest of the occurrences (MinimalFirst order)
  std::string expectation;   // "valid: [1, 6, 8, 8]"
  std::string outcome;       // "rejected: ..."
  std::string detail;
  std::string cpp_repro;
  std::string python_repro;
  // The backend that judged it (Backend::Name(), "libtorch"); "" in reports older than it.
  std::string backend;
  // Distinct outcome texts, most frequent first, at most kMaxFailureMessages (reports/
  // failure_messages.h); counts sum to at most `occurrences` (the rest: dropped by the bound, or
  // merged from reports older than this list, which is then empty).
  std::vector<MessageCount> messages;
};

// "ShapeAgrees/shape_mismatch/conv2d/float32/cpu/libtorch/dim 2": property, verdict, op, dtype,
// device, backend and where (each left out when empty), then, for a refusal, a crash or a
// harness error, the message with its numbers as # ("ValidityAgrees/backend_only_rejected/
// conv1d/float32/cpu/libtorch/could not create a descriptor for a dilated convolution ..."): the
// key failures are deduplicated, grouped, saved and diffed by.
std::string Signature(const Failure& f);

// One known deviation (corpus/known): how often it explained a failure, and whether its family
// now agrees everywhere (xpass: the framework bug looks fixed).
struct KnownRow {
  std::string id;
  std::string property;
  std::string evidence;
  int64_t xfail = 0;
  int64_t family_agreed = 0;
  bool xpass() const { return xfail == 0 && family_agreed > 0; }
};

// Cases and unexpected failures of the base properties for one (kernel, stride) bin.
struct KernelStrideCount {
  std::string kernel;  // "1".."7", "8+"
  std::string stride;  // "1".."4", "5+"
  int64_t cases = 0;
  int64_t failures = 0;
};

// Where a run's wall time went: one row per stage. The judging thread's rows ("judge",
// "property", "shrink", "engine") are disjoint and sum to the run's seconds; a property's row
// leaves out its backend calls, which the backend's rows have. The backend's batches and the
// numeric checks ("numeric": a numeric property's checks, its numeric backend's calls
// included) run on threads of their own, alongside; "cpu" rows are CPU seconds, not wall.
struct TimeRow {
  std::string stage;  // "backend", "judge", "property", "numeric", "shrink", "engine", "cpu"
  std::string name;   // "libtorch 1.13.1 (shapes)", "RoundTripRestoresInput", ...
  int64_t calls = 0;  // backend calls; cases judged; property checks; divergences shrunk
  double seconds = 0;
};

// Derived by Summarize: one heatmap cell; rate = failures / cases, NaN when no cases.
struct HeatCell {
  int64_t cases = 0;
  int64_t failures = 0;
  double rate = 0;
};

struct Heatmap {
  std::string title;
  std::string row_axis;
  std::string col_axis;
  std::vector<std::string> rows;
  std::vector<std::string> cols;
  std::vector<HeatCell> cells;  // row-major, rows.size() * cols.size()
};

// Derived by Summarize: what one property executed and what it skipped, over all its rows.
struct PropertyTotals {
  std::string property;
  int64_t executed = 0;  // checks that ran (every verdict but skipped)
  int64_t skipped = 0;
  // Every skip by reason; skips a row recorded no reason for appear under
  // kUnrecordedSkipReason (reports/summarize.h), so the reasons always sum to `skipped`.
  std::map<std::string, int64_t> skipped_by_reason;
};

struct Totals {
  std::array<int64_t, kVerdictCount> by_verdict{};
  int64_t checks = 0;       // property checks (a case is checked by several properties)
  int64_t unexpected = 0;   // failing checks not explained by a known deviation
  int64_t xfail = 0;
  int64_t xpass = 0;        // known deviations that look fixed
  int64_t signatures = 0;   // distinct failure signatures
  // All skipped checks by reason (summing to by_verdict's skipped count; see PropertyTotals).
  std::map<std::string, int64_t> skipped_by_reason;
  std::vector<PropertyTotals> by_property;  // sorted by property
};

// A line a framework library printed inside the workers (a glog warning), deduplicated.
struct LibraryLine {
  std::string text;
  int64_t count = 0;
};

struct Report {
  int schema_version = kSchemaVersion;
  Context context;
  std::vector<CountsRow> counts;               // sorted by (property, op, device, dtype)
  std::vector<Failure> failures;               // sorted by signature
  std::vector<KnownRow> known;                 // sorted by id
  std::vector<KernelStrideCount> kernel_stride;  // sorted by (kernel, stride)
  std::vector<TimeRow> timings;                // as the run produced them; optional in JSON
  // Derived (Summarize):
  Totals totals;
  std::vector<Heatmap> heatmaps;  // op × property, kernel × stride
  // What the framework printed in the workers, in first-seen order; optional in JSON.
  std::vector<LibraryLine> library_output;
};

}  // namespace convcheck::report
