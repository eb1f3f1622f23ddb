// Building a report's record lists in a canonical form, and deriving what every writer prints
// (totals, heatmaps). Used by the harness when it builds a report and by merge; writers never
// call it, they only format what it filled in.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "reports/report.h"

namespace convcheck::report {

// True when `a` is the better minimal case: shorter canonical JSON, then lexicographically
// smaller. A total order, so deduplicating in any order (one run or merged shards) picks the
// same case.
bool MinimalFirst(const ConvCase& a, const ConvCase& b);

// Adds `f` to `failures`: a new signature is appended; a known one adds its occurrences and
// keeps whichever minimal case (with its strings) comes first in MinimalFirst order.
void AddFailure(const Failure& f, std::vector<Failure>* failures);
// Folds `f` into `g`, which has the same signature: what AddFailure does once it found it.
void CombineFailure(const Failure& f, Failure* g);

// The label of skipped checks a counts row records no reason for (an older report, or a bug
// upstream): they are still shown as skips with this "reason", never dropped.
inline constexpr const char* kUnrecordedSkipReason = "reason not recorded";

// The row's skips by reason, with any skips its skipped_by_reason does not account for under
// kUnrecordedSkipReason: the result always sums to row.of(Verdict::kSkipped).
std::map<std::string, int64_t> SkipReasons(const CountsRow& row);
// "40 no CUDA device; 3 work cap" (map order); "" when empty.
std::string DescribeSkipReasons(const std::map<std::string, int64_t>& reasons);

// Adds a counts row, summing into an existing row with the same key (skip reasons included).
void AddCounts(const CountsRow& row, std::vector<CountsRow>* rows);
// Sums `row` into `r`, which has the same key.
void CombineCounts(const CountsRow& row, CountsRow* r);
// Adds a known-deviation row, summing xfail/family_agreed into an existing row with that id.
void AddKnown(const KnownRow& row, std::vector<KnownRow>* rows);
void AddKernelStride(const KernelStrideCount& c, std::vector<KernelStrideCount>* cells);

// Kernel and stride bins of a case (largest entry): "1".."7", "8+" and "1".."4", "5+".
std::string KernelBin(const ConvCase& c);
std::string StrideBin(const ConvCase& c);

// Sorts every list into its canonical order and recomputes totals and heatmaps.
void Summarize(Report* r);

}  // namespace convcheck::report
