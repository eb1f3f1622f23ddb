// The report files a run or `report render` writes, each atomically (reports/atomic_file.h).
// One place so `convcheck run` and `convcheck report render` produce identical files.
#pragma once

#include <string>

#include "reports/report.h"

namespace convcheck::report {

struct OutputPaths {
  std::string json;      // --report
  std::string junit;     // --junit
  std::string markdown;  // --markdown
  std::string html;      // --html
  bool any() const { return !json.empty() || !junit.empty() || !markdown.empty() || !html.empty(); }
};

// Formats `r` into every non-empty path. Stops at the first failure with one line naming the
// path; files already written stay (each is whole).
bool WriteOutputs(const Report& r, const OutputPaths& paths, std::string* error);

}  // namespace convcheck::report
