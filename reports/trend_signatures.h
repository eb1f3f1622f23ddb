// Each failure signature across a trend: the report it first appeared in, the last one, and in
// how many it appeared, so a new regression stands apart from an old, still-open one.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "reports/trend.h"

namespace convcheck::report {

struct SignatureHistory {
  std::string signature;
  std::string first_seen;  // the label (start time, or file name) of the first report with it
  std::string last_seen;
  int reports = 0;         // reports it appears in
  bool in_latest = false;  // still present in the newest report
};

// `points` in trend order (LoadTrend's); sorted by first seen, newest first, then signature.
std::vector<SignatureHistory> SignatureHistories(const std::vector<TrendPoint>& points);

// A table of the histories ("None." when no report had a failure).
void WriteSignatureHistoryHtml(const std::vector<SignatureHistory>& histories, std::ostream& os);

}  // namespace convcheck::report
