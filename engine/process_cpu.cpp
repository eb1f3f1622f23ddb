#include "engine/process_cpu.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace convcheck {
namespace {

double Seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; }

// utime + stime of a running child, from /proc/<pid>/stat (fields 14 and 15, in clock ticks,
// counted after the parenthesized command name, which may itself hold spaces).
double ChildSeconds(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/stat");
  std::string line;
  if (!std::getline(in, line)) return 0;  // it ended meanwhile: reaped, or soon counted as such
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(line.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  // After ")": state is field 3, so utime (14) is the 12th token and stime (15) the 13th.
  for (int k = 3; k <= 15 && fields >> field; ++k) {
    if (k == 14) utime = std::stoull(field);
    if (k == 15) stime = std::stoull(field);
  }
  const long ticks = sysconf(_SC_CLK_TCK);
  return ticks > 0 ? static_cast<double>(utime + stime) / static_cast<double>(ticks) : 0;
}

}  // namespace

std::vector<std::string> LiveChildPids() {
  std::vector<std::string> pids;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    std::ifstream in(task.path() / "children");
    std::string pid;
    while (in >> pid) pids.push_back(pid);
  }
  return pids;
}

ProcessCpu ProcessCpuNow() {
  ProcessCpu cpu;
  rusage self{}, children{};
  if (getrusage(RUSAGE_SELF, &self) == 0) cpu.own = Seconds(self.ru_utime) + Seconds(self.ru_stime);
  if (getrusage(RUSAGE_CHILDREN, &children) == 0) cpu.workers = Seconds(children.ru_utime) + Seconds(children.ru_stime);
  for (const std::string& pid : LiveChildPids()) cpu.workers += ChildSeconds(pid);
  return cpu;
}

}  // namespace convcheck
