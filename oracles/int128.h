// Exact integer helpers for size arithmetic: PyTorch parameters are int64, and sums such as
// x + 2p or (x-1)s overflow int64 long before they overflow 128 bits, so the oracle computes in
// __int128 and reports overflow as a rule instead of wrapping.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

namespace convcheck {

using i128 = __int128;

constexpr i128 kInt64Max = std::numeric_limits<int64_t>::max();

inline bool FitsInt64(i128 v) {
  return v <= kInt64Max && v >= -kInt64Max - 1;
}

// Floor division for a positive divisor (C++ '/' truncates toward zero).
inline i128 FloorDiv(i128 a, i128 b) {
  i128 q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

// Decimal text of a 128-bit integer ("-170141183460469231731687303715884105728" included).
std::string ToString(i128 v);

}  // namespace convcheck
