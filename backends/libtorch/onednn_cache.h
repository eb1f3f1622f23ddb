// Sizes oneDNN's primitive cache for a conformance run. Each distinct convolution geometry is
// a oneDNN primitive, JIT-compiled on first use; a run draws thousands of geometries and
// revisits many (dtypes, derived round-trip and stack cases), and the default capacity (1024)
// evicts them before they come back. Measured with bench/bench_case_cost (10,000 cases of the
// default stream, one thread, alternating runs on a loaded 2-core machine): capacity 16384 ran
// 4,313-5,743 cases/s against 3,101-4,896 at the default, for +48 MB of peak RSS
// (269 MB against 221 MB). PyTorch's own LRU_CACHE_CAPACITY made no measurable difference.
// Header-only, like no_backtraces.h: the backend plugin and sanity/ both call it.
#pragma once

#include <cstdlib>

namespace convcheck {

// Sets ONEDNN_PRIMITIVE_CACHE_CAPACITY unless the user already did; oneDNN reads it once, at
// the first primitive it creates, so this must run before the first convolution.
inline void SizeOneDnnPrimitiveCache() { setenv("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "16384", /*overwrite=*/0); }

}  // namespace convcheck
