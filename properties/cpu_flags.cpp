#include "properties/cpu_flags.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace convcheck {

std::optional<std::set<std::string>> CpuFlags() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::istringstream words(line.substr(colon + 1));
    std::set<std::string> flags;
    for (std::string w; words >> w;) flags.insert(w);
    return flags;
  }
  return std::nullopt;
}

bool CpuHasFlags(const std::vector<std::string>& flags) {
  static const std::optional<std::set<std::string>> have = CpuFlags();
  if (!have) return true;
  return std::all_of(flags.begin(), flags.end(), [](const std::string& f) { return have->count(f) > 0; });
}

}  // namespace convcheck
