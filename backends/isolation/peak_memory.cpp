#include "backends/isolation/peak_memory.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace convcheck::isolation {
namespace {

// The three /proc files a probe uses, opened once per process: a worker probes every case, and
// opening and closing them per case (fopen of /proc/self/status twice) cost ~55 µs a case, more
// than many cases. /proc/self is resolved at open time, so a forked child reopens its own.
struct ProcFiles {
  pid_t pid = -1;
  int clear_refs = -1;
  int status = -1;
  int statm = -1;
};

const ProcFiles& Files() {
  static ProcFiles files;
  const pid_t me = getpid();
  if (files.pid != me) {
    for (int fd : {files.clear_refs, files.status, files.statm}) {
      if (fd >= 0 && files.pid > 0) close(fd);
    }
    files.pid = me;
    files.clear_refs = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
    files.status = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    files.statm = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  }
  return files;
}

// Reads a whole /proc file from offset 0 (each read regenerates it); "" on failure.
std::string ReadAll(int fd) {
  if (fd < 0) return "";
  char buf[8192];
  const ssize_t k = pread(fd, buf, sizeof buf - 1, 0);
  return k > 0 ? std::string(buf, static_cast<size_t>(k)) : "";
}

// The "VmHWM:   1234 kB" line of /proc/self/status, in bytes; -1 when absent.
int64_t PeakBytes() {
  const std::string text = ReadAll(Files().status);
  const size_t at = text.find("\nVmHWM:");
  if (at == std::string::npos) return -1;
  long long kb = 0;
  if (std::sscanf(text.c_str() + at + 7, " %lld kB", &kb) != 1) return -1;
  return kb * 1024;
}

// The resident size from /proc/self/statm (its second field, in pages); -1 when unreadable.
int64_t ResidentBytes() {
  const std::string text = ReadAll(Files().statm);
  long long size = 0, resident = 0;
  if (std::sscanf(text.c_str(), "%lld %lld", &size, &resident) != 2) return -1;
  return resident * sysconf(_SC_PAGESIZE);
}

// The process's peak resident size as getrusage reports it (ru_maxrss, KiB), in bytes; -1 on
// failure. It is the larger of the address space's peak (the VmHWM that clear_refs resets) and
// the peak of threads that have exited, which a reset does not lower: see PeakProbe.
// RUSAGE_THREAD: Linux's k_getrusage gives a thread the same ru_maxrss as RUSAGE_SELF (the
// signal struct's maxrss, raised to the mm's hiwater mark) without summing every thread's CPU
// time first, which cost a worker about 2% of its time at two calls per case.
int64_t RusagePeakBytes() {
  struct rusage u {};
  if (getrusage(RUSAGE_THREAD, &u) != 0) return -1;
  return static_cast<int64_t>(u.ru_maxrss) * 1024;
}

// proc(5): writing 5 to clear_refs resets the peak resident set size (Linux >= 4.0).
bool ResetPeak() {
  const int fd = Files().clear_refs;
  return fd >= 0 && write(fd, "5", 1) == 1;
}

}  // namespace

PeakProbe::PeakProbe() {
  reset_ = ResetPeak();
  start_rss_ = ResidentBytes();
  // getrusage costs under a microsecond where reading /proc/self/status costs 8-20 (it is
  // regenerated, every field, on each read), and a worker probes every case. Right after the
  // reset it must report about the resident size; if it reports more, an exited thread's peak
  // holds it up and the reset cannot lower it, so this probe reads VmHWM instead.
  if (reset_ && start_rss_ >= 0) {
    constexpr int64_t kSlack = 1 << 20;  // the resident size may move between the two reads
    const int64_t after_reset = RusagePeakBytes();
    rusage_tracks_reset_ = after_reset >= 0 && after_reset <= start_rss_ + kSlack;
  }
}

int64_t PeakProbe::GrowthBytes() const {
  if (!reset_ || start_rss_ < 0) return -1;
  const int64_t peak = rusage_tracks_reset_ ? RusagePeakBytes() : PeakBytes();
  return peak < 0 ? -1 : std::max<int64_t>(0, peak - start_rss_);
}

}  // namespace convcheck::isolation
