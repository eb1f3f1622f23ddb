// What framework libraries print inside the workers (glog's "Logging before InitGoogleLogging()",
// LibTorch's "Convolution.cpp:895] Warning: ..."): each worker's stdout and stderr go to a memory
// file the parent reads back, so nothing breaks the live progress line or a --json document on
// stdout, and the run shows one deduplicated count instead (the lines with --verbose and in the
// report). Shared by the isolation decorator, which appends, and the session, which reports.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace convcheck {

struct CapturedLine {
  std::string text;   // normalized: glog's time, thread and pid prefix removed
  int64_t count = 0;  // how many times it was printed (once per worker, usually)
};

class CapturedOutput {
 public:
  // Adds bytes one worker printed; a line is complete at its '\n' (the rest waits in `pending`,
  // which belongs to that worker).
  void Append(std::string_view bytes, std::string* pending);
  // Adds what is left in `pending` as a line (the worker has ended).
  void EndOf(std::string* pending);
  // Distinct lines, in the order first seen.
  const std::vector<CapturedLine>& Lines() const { return lines_; }
  // Every line printed, duplicates included.
  int64_t Total() const;

 private:
  void AddLine(std::string_view line);
  std::vector<CapturedLine> lines_;
};

// "W20261202 08:33:12.697007 15207 Convolution.cpp:895] Warning: x" -> "W Convolution.cpp:895]
// Warning: x": glog's date, time and thread id differ in every worker, the message does not.
// Other lines come back unchanged, without trailing '\r' or spaces.
std::string NormalizeLibraryLine(std::string_view line);

}  // namespace convcheck
