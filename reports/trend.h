// The trend over nights: one point per nightly report (ordered by start time), and an HTML page
// with a line chart of unexpected divergences, signatures, xfail and xpass over time.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "reports/report.h"

namespace convcheck::report {

struct TrendPoint {
  std::string label;  // the report's start time (or file name when it has none)
  std::string file;
  int64_t checks = 0;
  int64_t unexpected = 0;
  int64_t signatures = 0;
  int64_t xfail = 0;
  int64_t xpass = 0;
  bool complete = true;
  // The report's failure signatures (Signature()), for when each was first seen.
  std::vector<std::string> failure_signatures;
};

TrendPoint TrendPointOf(const std::string& file, const Report& r);

// Reads every *.json report in `dir`, ordered by start time then file name. Files that are not
// reports are listed in `skipped` ("x.json: <why>"), never fatal. False with an error when the
// folder cannot be read.
bool LoadTrend(const std::string& dir, std::vector<TrendPoint>* points,
               std::vector<std::string>* skipped, std::string* error);

// The page: the chart (SVG) and a table of the points.
void WriteTrendHtml(const std::vector<TrendPoint>& points, std::ostream& os);

}  // namespace convcheck::report
