// The one atomic writer for every file convcheck writes (reports, corpus entries, sanity --json,
// fuzz seeds and reproducers), so readers (CI, a dashboard, the next night's diff, a concurrent
// run) never see a truncated file and a planted symlink is never written through: the text goes
// to a fresh temp file made by mkstemp (O_CREAT|O_EXCL, so an existing name or link is refused)
// in the target's folder, is fsynced, and is renamed (or linked) into place in one step.
#pragma once

#include <string>

namespace convcheck::report {

enum class IfExists {
  kReplace,  // rename over the target (reports, --json outputs)
  kKeep,     // link into place; an existing target wins and the call fails with error "exists"
             // (two runs saving the same corpus entry at once keep exactly one)
};

// Writes `content` to `path` atomically. Returns false with one line naming the path and the
// system error (missing folder, permission) and leaves `path` untouched. "-" writes to stdout.
bool WriteFileAtomically(const std::string& path, const std::string& content, std::string* error,
                         IfExists if_exists = IfExists::kReplace);

}  // namespace convcheck::report
