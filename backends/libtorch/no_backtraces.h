// Turns off the C++ backtrace LibTorch builds for every c10::Error it throws. In LibTorch 1.13
// each throw captures and symbolizes a backtrace first: 6.4-6.7 ms per rejected case against
// ~31 us without (issue #11), so a run that is ~45% rejections spent most of its time there.
// The messages convcheck keeps (what_without_backtrace) are unchanged. Header-only because the
// backend plugin and sanity/ (the two places LibTorch may appear) both call it.
#pragma once

#include <cstdlib>
#include <functional>
#include <string>

#include <c10/util/Logging.h>

namespace convcheck {

// Installs a fetcher that returns "" once per process; CONVCHECK_TORCH_BACKTRACES=1 keeps
// LibTorch's own (for debugging a framework error). Uses the std::string overload, which
// exists in 1.13 and 2.x (2.x added a lazy c10::Backtrace overload beside it), so the
// explicit std::function type picks the same one in both.
inline void DisableTorchErrorBacktraces() {
  static const bool done = [] {
    const char* keep = std::getenv("CONVCHECK_TORCH_BACKTRACES");
    if (keep && std::string(keep) == "1") return true;
    c10::SetStackTraceFetcher(std::function<std::string()>([] { return std::string(); }));
    return true;
  }();
  (void)done;
}

}  // namespace convcheck
