// Sets LibTorch's intra-op thread count without starting a thread pool on the way. In LibTorch
// 1.13 (and 2.x), at::set_num_threads also sizes caffe2's pthreadpool (QNNPACK's), and its first
// call creates that pool at the default size, one thread per core, then shrinks it: every worker
// process started, spun and joined a thread it never used (2.3% of the workers' CPU in a default
// run, perf). OMP_NUM_THREADS, PyTorch's documented setting, read when ATen first sizes a
// thread's OpenMP team, gives the same count without the pool. Where it does not take (ATen has
// sized this thread's team already, or MKL_NUM_THREADS overrides it), at::set_num_threads does.
// Header-only, like no_backtraces.h: the shape and numeric backends both call it.
#pragma once

#include <cstdlib>
#include <string>

#include <ATen/Parallel.h>

namespace convcheck {

inline void SetIntraOpThreads(int n) {
  setenv("OMP_NUM_THREADS", std::to_string(n).c_str(), /*overwrite=*/1);
  if (at::get_num_threads() != n) at::set_num_threads(n);
}

}  // namespace convcheck
