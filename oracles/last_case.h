// A one-entry, per-thread memo for a function of a case. The engine asks for the same case's
// shape, JSON line and hash many times in a row (Judge, then each property, each also in the
// speculative pass); the last case answers those repeats after a field-by-field comparison.
#pragma once

#include <optional>
#include <utility>

#include "oracles/conv_case.h"

namespace convcheck {

template <typename T>
class LastCase {
 public:
  // compute() when `c` is not Identical to the last case asked for. compute() may itself ask
  // this memo about another case: the answer is stored only once it returns.
  template <typename Compute>
  const T& Get(const ConvCase& c, Compute compute) {
    if (value_ && Identical(c, case_)) return *value_;
    T fresh = compute();
    case_ = c;
    value_ = std::move(fresh);
    return *value_;
  }

 private:
  ConvCase case_;
  std::optional<T> value_;  // empty until the first case
};

}  // namespace convcheck
