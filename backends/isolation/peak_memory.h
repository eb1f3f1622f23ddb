// How much resident memory one case cost a worker: Linux's peak RSS (VmHWM) is reset before the
// case (writing 5 to /proc/self/clear_refs) and read after it (through getrusage's ru_maxrss
// when that follows the reset, else /proc/self/status), so the peak is the case's alone.
#pragma once

#include <cstdint>

namespace convcheck::isolation {

class PeakProbe {
 public:
  // Resets the peak and notes the resident size now.
  PeakProbe();
  // Bytes the peak rose above the resident size at construction (0 when it did not rise); -1
  // when /proc cannot tell (no /proc, or the peak could not be reset, so it would include
  // earlier cases).
  int64_t GrowthBytes() const;

 private:
  int64_t start_rss_ = -1;
  bool reset_ = false;
  bool rusage_tracks_reset_ = false;
};

}  // namespace convcheck::isolation
