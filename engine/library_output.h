// The run's account of what the framework printed in the workers (CapturedOutput): one line
// with the counts on the terminal, every distinct line with --verbose, and the lines in the report.
#pragma once

#include <ostream>
#include <vector>

#include "backends/isolation/captured_output.h"
#include "reports/report.h"

namespace convcheck {

// Nothing when nothing was printed. Otherwise "library output: 7 lines from the workers, 2
// distinct (--verbose prints them; reports keep them)", or with `verbose` a header and one
// "  5x <line>" per distinct line.
void PrintLibraryOutput(const CapturedOutput& captured, bool verbose, std::ostream& os);

// The distinct lines with their counts, for report::Report::library_output.
std::vector<report::LibraryLine> LibraryLines(const CapturedOutput& captured);

}  // namespace convcheck
