#include "backends/isolation/process_state_lock.h"

namespace convcheck::isolation {

std::recursive_mutex& ProcessStateLock() {
  // Never destroyed: a detached thread may still take it while the process exits.
  static auto* lock = new std::recursive_mutex;
  return *lock;
}

}  // namespace convcheck::isolation
