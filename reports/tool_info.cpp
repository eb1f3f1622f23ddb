#include "reports/tool_info.h"

#include <ctime>

#ifndef CONVCHECK_GIT_REVISION
#define CONVCHECK_GIT_REVISION ""
#endif
#ifndef CONVCHECK_TOOL_VERSION
#define CONVCHECK_TOOL_VERSION "0.0.0"
#endif

namespace convcheck::report {

const char* ToolVersion() { return CONVCHECK_TOOL_VERSION; }
const char* ToolGitRevision() { return CONVCHECK_GIT_REVISION; }

std::string UtcTimestamp(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

}  // namespace convcheck::report
