// ResourceBounded: a case the backend answered must not cost its worker memory out of
// proportion to the tensors involved. The bound is stated once, here: a peak resident growth
// above kMultiple x (input + weight + output bytes) + kAllowance is the verdict `resource`, with
// the figures. Example: LibTorch 1.13.1's oneDNN path for a 1x1 conv1d with stride 2^20 asks
// for ~4 GB where the native path needs O(input + output). The run's memory limit
// (--rlimit-mb) still protects the run: what it refuses is a skip, never judged here.
#pragma once

#include <cstdint>

#include "properties/verdict.h"

namespace convcheck {

struct ResourceBound {
  // 8x: the output, its im2col / transposed columns and the framework's copies of small
  // tensors; 512 MiB: code pages a kernel's first use maps, thread pools, allocator slack.
  static constexpr int64_t kMultiple = 8;
  static constexpr int64_t kAllowance = int64_t{512} << 20;
};

// Bytes of the case's input, weight and (when the oracle says it is valid) output tensors;
// saturates at 2^62.
int64_t CaseTensorBytes(const ConvCase& c, const ShapeResult& expected);

// The bound for `c`: kMultiple * CaseTensorBytes + kAllowance, saturating.
int64_t MemoryBound(const ConvCase& c, const ShapeResult& expected);

// Turns an agreeing `r` (agree or both_rejected) whose outcome's measured peak exceeds
// MemoryBound into `resource` (property ResourceBounded), the figures in the detail. Unmeasured
// outcomes (peak -1: a backend run in-process) and failures are left as they are.
void JudgeResource(CaseResult* r);

}  // namespace convcheck
