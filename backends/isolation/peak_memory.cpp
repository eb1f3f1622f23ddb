#include "backends/isolation/peak_memory.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace convcheck::isolation {
namespace {

// A "VmRSS:   1234 kB" line of /proc/self/status, in bytes; -1 when absent.
int64_t StatusBytes(const char* key) {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return -1;
  char line[256];
  int64_t out = -1;
  const size_t n = std::strlen(key);
  while (std::fgets(line, sizeof line, f)) {
    long long kb = 0;
    if (std::strncmp(line, key, n) == 0 && std::sscanf(line + n, ": %lld kB", &kb) == 1) {
      out = kb * 1024;
      break;
    }
  }
  std::fclose(f);
  return out;
}

// proc(5): writing 5 to clear_refs resets the peak resident set size (Linux >= 4.0).
bool ResetPeak() {
  const int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = write(fd, "5", 1) == 1;
  close(fd);
  return ok;
}

}  // namespace

PeakProbe::PeakProbe() {
  reset_ = ResetPeak();
  start_rss_ = StatusBytes("VmRSS");
}

int64_t PeakProbe::GrowthBytes() const {
  if (!reset_ || start_rss_ < 0) return -1;
  const int64_t peak = StatusBytes("VmHWM");
  return peak < 0 ? -1 : std::max<int64_t>(0, peak - start_rss_);
}

}  // namespace convcheck::isolation
