// The distinct backend messages within one failure signature: a short, bounded list, so a
// signature hit a million times with a million different shapes stays a few lines in a report.
#pragma once

#include <cstddef>
#include <vector>

#include "reports/report.h"

namespace convcheck::report {

constexpr size_t kMaxFailureMessages = 5;

// The two lists' counts summed by text, most frequent first (ties by text, so a merge of shards
// is independent of their order), cut to kMaxFailureMessages. Exact while the signature has at
// most that many distinct messages; past it, a message dropped from one part cannot be counted
// when the parts merge, so the counts are lower bounds.
std::vector<MessageCount> MergeMessages(const std::vector<MessageCount>& a, const std::vector<MessageCount>& b);

// The occurrences no listed message accounts for (dropped by the bound, or merged from a report
// older than the list): occurrences minus the listed counts, never negative.
int64_t UnlistedOccurrences(const Failure& f);

}  // namespace convcheck::report
