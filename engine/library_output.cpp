#include "engine/library_output.h"

namespace convcheck {

void PrintLibraryOutput(const CapturedOutput& captured, bool verbose, std::ostream& os) {
  const auto& lines = captured.Lines();
  if (lines.empty()) return;
  const int64_t total = captured.Total();
  if (!verbose) {
    os << "library output: " << total << (total == 1 ? " line" : " lines") << " from the framework, "
       << lines.size() << " distinct (--verbose prints them; reports keep them)\n";
    return;
  }
  os << "library output from the framework (" << total << " lines, " << lines.size() << " distinct):\n";
  for (const CapturedLine& l : lines) os << "  " << l.count << "x " << l.text << "\n";
}

std::vector<report::LibraryLine> LibraryLines(const CapturedOutput& captured) {
  std::vector<report::LibraryLine> out;
  for (const CapturedLine& l : captured.Lines()) out.push_back({l.text, l.count});
  return out;
}

}  // namespace convcheck
