// The JSON form of a report (schema: reports/report.schema.json). Writing only formats; reading
// is what `convcheck report merge/diff/render/trend` start from.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "reports/report.h"

namespace convcheck::report {

// The report as a JSON object (keys sorted, so output is stable). Non-finite numbers are written as the
// strings "NaN", "Infinity", "-Infinity" (JSON has no such numbers).
nlohmann::json ReportToJson(const Report& r);
// ReportToJson, indented by 2, ending with a newline.
void WriteJson(const Report& r, std::ostream& os);

// A parsed report, or one line naming what is wrong ("failures[3].verdict: unknown 'oops'").
struct ReportParseResult {
  std::optional<Report> value;
  std::string error;
  bool ok() const { return value.has_value(); }
};

// Parses report JSON text. Never throws. Rejects a schema_version newer than this build's.
// The derived parts (totals, heatmaps) are recomputed with Summarize, not trusted.
ReportParseResult ParseReportText(const std::string& text);

}  // namespace convcheck::report
