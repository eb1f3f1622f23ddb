// Per-case time limits shorter than --case-timeout, for cases known to hang. A hang costs a run
// the whole per-case limit each time its family is drawn (LibTorch 1.13.1's max_pool1d with
// kernel 2^63-1 took 5 of a default run's 8 s); a known-deviation record that says its family
// hangs can give it a short limit instead, and a fixed framework still answers within it, so
// the xpass check keeps working. Shared by the command (which creates it), the session (which
// fills it once the known deviations are loaded: they depend on the backend's version, which
// only a started worker reports) and the isolated backend (which asks it per case).
#pragma once

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>

#include "oracles/conv_case.h"

namespace convcheck {

class CaseTimeLimit {
 public:
  // Seconds `c` may run when it belongs to a family known to hang; nullopt for every other case.
  using Lookup = std::function<std::optional<double>(const ConvCase&)>;

  void Set(Lookup lookup) { lookup_ = std::move(lookup); }
  // The limit for `c`: the lookup's answer when it has one below `default_s`, else `default_s`.
  double For(const ConvCase& c, double default_s) const {
    if (!lookup_) return default_s;
    const std::optional<double> known = lookup_(c);
    return known && *known > 0 ? std::min(*known, default_s) : default_s;
  }

 private:
  Lookup lookup_;
};

}  // namespace convcheck
