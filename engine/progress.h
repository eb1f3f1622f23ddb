// Progress of a long run, fed by RunConformance's ProgressFn. On a terminal: one line redrawn
// in place (cases, rate, divergences so far, ETA). On a pipe or in CI (CI=true), where carriage
// returns turn logs into noise: a plain line every `interval_seconds` instead.
#pragma once

#include <ostream>
#include <string>

#include "engine/engine.h"

namespace convcheck {

enum class ProgressMode { kOff, kLive, kLines };

// kLive when stderr is a terminal and CI is not "true"; otherwise kLines. `flag` overrides:
// "auto" (the default), "live", "lines", "off".
ProgressMode ChooseProgressMode(const std::string& flag, bool quiet);

// "1024/20000 cases (5.1%), 812 cases/s, 0 divergences, ETA 0:00:23"; a time budget
// (budget -1) prints no total and no ETA.
std::string FormatProgress(const Progress& p);

class ProgressPrinter {
 public:
  ProgressPrinter(std::ostream& os, ProgressMode mode, double interval_seconds = 10);
  // Prints (or not) according to the mode; the time of the last line comes from
  // p.elapsed_seconds, so output does not depend on the wall clock.
  void Update(const Progress& p);
  // Ends a live line with a newline so the summary starts on its own line.
  void Finish();
  // A ProgressFn calling Update (the printer must outlive the run).
  ProgressFn Fn();

 private:
  std::ostream& os_;
  ProgressMode mode_;
  double interval_seconds_;
  double last_line_at_ = 0;
  bool live_line_open_ = false;
};

}  // namespace convcheck
