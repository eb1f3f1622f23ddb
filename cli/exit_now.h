// How the process ends once a command is done.
#pragma once

namespace convcheck::cli {

// Flushes standard output and error and ends the process with `code`, skipping static
// destructors: a command that loaded LibTorch would otherwise spend tens of milliseconds
// unregistering thousands of operators from a dispatcher about to vanish. Every command has closed its files
// and reaped its workers by now (reports are written atomically, in the command's scope).
// Sanitizer builds return normally so LeakSanitizer still runs at exit.
[[noreturn]] void ExitNow(int code);

}  // namespace convcheck::cli
