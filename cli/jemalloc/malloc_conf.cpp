// jemalloc's options for the convcheck executable, read once when the allocator starts (before
// main); MALLOC_CONF in the environment still overrides them. Compiled only into executables
// linked with jemalloc (convcheck_use_jemalloc in the top CMakeLists.txt).
//
// narenas:1 — one arena for every thread, instead of jemalloc's four per core. The workers are
// forked from the parent's backend and numeric threads, and with an arena of their own (three or
// more arenas) each worker kept faulting in fresh pages for its tensors: in a default 10,000-case
// `run --jobs 2` on the 2-core VM, 200-250k page faults, 88k of them in a memset inside
// at::native::slow_conv2d_forward_out_cpu (its im2col column buffers) in the workers; with one or
// two arenas 125-130k (that memset: 9k), the workers' CPU 1.11-1.17 s against 1.24-1.33 s, the run
// 0.84-0.91 s against 1.00-1.06 s (and --jobs 1 1.10-1.13 s against 1.22-1.30 s). The parent's CPU
// did not change (0.39-0.42 s), though its three threads now share the arena. Neither
// oversize_threshold:0 (no separate arena for big buffers) nor dirty_decay_ms:-1 (no purging) had
// this effect; why a worker's own arena faults more is not understood. To measure it again, run
// bench/bench_cli.sh (speed and CPU) or `/usr/bin/time -f %R convcheck run` (page faults, workers
// included) with and without MALLOC_CONF=narenas:8.
extern "C" {
// The symbol jemalloc looks up (Debian's libjemalloc is built without a name prefix).
const char* malloc_conf = "narenas:1";
}
