// A fixed report for the writer golden tests, and the golden-file matcher with placeholders.
#pragma once

#include <map>
#include <string>

#include "reports/report.h"

namespace convcheck::report::testing {

// A small report with every kind of record: three counts rows (one with a skip whose reason was
// not recorded, one whose 43 checks were all skipped, by two reasons), two failure signatures (one with
// an error message full of characters that need escaping), an xfail and an xpass deviation,
// kernel × stride counts. Its tool version, git revision and times are the real, varying ones
// (golden files hold placeholders for them).
Report FixedReport();

// Placeholders a golden file may contain, and the regular expressions they stand for:
// {{TIME}} ISO 8601 UTC, {{VERSION}} a version string, {{REVISION}} a git revision (or empty).
const std::map<std::string, std::string>& GoldenPlaceholders();

// Empty when `actual` matches the golden text (placeholders as regexes, the rest literal);
// otherwise a message with the first differing line of each.
std::string GoldenMismatch(const std::string& golden, const std::string& actual);

// Compares `actual` with tests/reports/golden/<name>. With CONVCHECK_UPDATE_GOLDEN=1 in the
// environment, writes the golden instead (the fixture's varying values become placeholders).
std::string CheckGolden(const std::string& name, const std::string& actual, const Report& fixture);

}  // namespace convcheck::report::testing
