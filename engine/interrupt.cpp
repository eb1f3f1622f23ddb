#include "engine/interrupt.h"

#include <csignal>
#include <cstdlib>
#include <unistd.h>

namespace convcheck {
namespace {
volatile std::sig_atomic_t g_interrupted = 0;

void OnSignal(int) {
  if (g_interrupted) _exit(130);
  g_interrupted = 1;
}
}  // namespace

void InstallInterruptHandler() {
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
}

bool InterruptRequested() { return g_interrupted != 0; }

}  // namespace convcheck
