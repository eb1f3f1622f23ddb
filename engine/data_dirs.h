// Where convcheck reads and writes on disk, decided in one place. Nothing here is a path
// compiled into the binary: the data that ships with the tool is found relative to the running
// executable (<exe>/../share/convcheck, the same in the build tree and an install tree), and
// regressions are written only into a corpus the user chose.
#pragma once

#include <optional>
#include <string>

#include "backends/plugin/executable_dir.h"  // ExecutableDir

namespace convcheck {

// <exe>/../share/convcheck/known when that folder exists, else "".
std::string ShippedKnownDir();

// The corpus a command uses: `flag` (--corpus) when given, which must be an existing folder;
// else ./corpus when the current directory has one; else "" (no corpus: nothing is saved).
// nullopt with `error` ("--corpus nightly/corpus: no such folder") when `flag` is not a folder.
std::optional<std::string> ResolveCorpus(const std::string& flag, std::string* error);

// Known deviations to load: <corpus>/known when it exists, else the shipped ones ("" = none).
std::string KnownDirFor(const std::string& corpus);

}  // namespace convcheck
