#include "engine/progress.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace convcheck {
namespace {

std::string Clock(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  return buf;
}

}  // namespace

ProgressMode ChooseProgressMode(const std::string& flag, bool quiet) {
  if (flag == "off") return ProgressMode::kOff;
  if (flag == "live") return ProgressMode::kLive;
  if (flag == "lines") return ProgressMode::kLines;
  if (quiet) return ProgressMode::kOff;
  const char* ci = std::getenv("CI");
  const bool in_ci = ci != nullptr && std::strcmp(ci, "true") == 0;
  return (!in_ci && ::isatty(STDERR_FILENO)) ? ProgressMode::kLive : ProgressMode::kLines;
}

std::string FormatProgress(const Progress& p) {
  const double rate = p.elapsed_seconds > 0 ? p.done / p.elapsed_seconds : 0;
  char buf[160];
  if (p.budget > 0) {
    const double pct = 100.0 * static_cast<double>(p.done) / static_cast<double>(p.budget);
    const std::string eta = rate > 0 ? Clock(static_cast<double>(p.budget - p.done) / rate) : "?";
    std::snprintf(buf, sizeof buf, "%lld/%lld cases (%.1f%%), %.0f cases/s, %lld divergences, ETA %s",
                  static_cast<long long>(p.done), static_cast<long long>(p.budget), pct, rate,
                  static_cast<long long>(p.divergences), eta.c_str());
  } else {
    std::snprintf(buf, sizeof buf, "%lld cases, %.0f cases/s, %lld divergences, %s elapsed",
                  static_cast<long long>(p.done), rate, static_cast<long long>(p.divergences),
                  Clock(p.elapsed_seconds).c_str());
  }
  return buf;
}

ProgressPrinter::ProgressPrinter(std::ostream& os, ProgressMode mode, double interval_seconds)
    : os_(os), mode_(mode), interval_seconds_(interval_seconds) {}

void ProgressPrinter::Update(const Progress& p) {
  switch (mode_) {
    case ProgressMode::kOff:
      return;
    case ProgressMode::kLive:
      // \r and erase-to-end-of-line: redraw in place without leaving a longer line's tail.
      os_ << "\r" << FormatProgress(p) << "\x1b[K" << std::flush;
      live_line_open_ = true;
      return;
    case ProgressMode::kLines:
      if (p.elapsed_seconds - last_line_at_ < interval_seconds_) return;
      last_line_at_ = p.elapsed_seconds;
      os_ << "progress: " << FormatProgress(p) << "\n" << std::flush;
      return;
  }
}

void ProgressPrinter::Finish() {
  if (live_line_open_) os_ << "\n" << std::flush;
  live_line_open_ = false;
}

ProgressFn ProgressPrinter::Fn() {
  return [this](const Progress& p) { Update(p); };
}

}  // namespace convcheck
