#include "backends/isolation/process_state_lock.h"

#include <unistd.h>

#include <algorithm>
#include <vector>

namespace convcheck::isolation {

std::recursive_mutex& ProcessStateLock() {
  // Never destroyed: a detached thread may still take it while the process exits.
  static auto* lock = new std::recursive_mutex;
  return *lock;
}

namespace {

std::vector<int>& ParentEnds() {
  static auto* fds = new std::vector<int>;  // never destroyed, as the lock
  return *fds;
}

}  // namespace

void AddParentEnd(int fd) {
  std::lock_guard<std::recursive_mutex> lock(ProcessStateLock());
  ParentEnds().push_back(fd);
}

void RemoveParentEnd(int fd) {
  std::lock_guard<std::recursive_mutex> lock(ProcessStateLock());
  std::vector<int>& fds = ParentEnds();
  fds.erase(std::remove(fds.begin(), fds.end(), fd), fds.end());
}

void CloseParentEnds() {
  for (int fd : ParentEnds()) close(fd);
  ParentEnds().clear();
}

}  // namespace convcheck::isolation
