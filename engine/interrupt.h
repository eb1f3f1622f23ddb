// Ctrl-C handling: the first SIGINT/SIGTERM asks the run to stop after the current case so
// reports are still written (marked interrupted); a second one exits at once.
#pragma once

namespace convcheck {

void InstallInterruptHandler();
bool InterruptRequested();

}  // namespace convcheck
