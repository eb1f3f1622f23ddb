#include "backends/isolation/worker_progress.h"

#include <sys/mman.h>

#include <ctime>
#include <new>

namespace convcheck::isolation {

uint64_t MonotonicMicros() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<uint64_t>(t.tv_sec) * 1000000u + static_cast<uint64_t>(t.tv_nsec) / 1000u;
}

WorkerProgress* MapWorkerProgress() {
  void* page = mmap(nullptr, sizeof(WorkerProgress), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) return nullptr;
  return new (page) WorkerProgress;
}

void UnmapWorkerProgress(WorkerProgress* p) {
  if (p) munmap(p, sizeof(WorkerProgress));
}

}  // namespace convcheck::isolation
