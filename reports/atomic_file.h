// Writing report files so that readers (CI, a dashboard, the next night's diff) never see a
// truncated file: the text goes to a temporary file in the same folder, is flushed to disk, and
// is renamed over the target in one step. A run killed mid-write leaves the old file (or none).
#pragma once

#include <string>

namespace convcheck::report {

// Writes `content` to `path` atomically. Returns false with one line naming the path and the
// system error (missing folder, permission) and leaves `path` untouched. "-" writes to stdout.
bool WriteFileAtomically(const std::string& path, const std::string& content, std::string* error);

// Reads a whole file; false with one line naming the path.
bool ReadTextFile(const std::string& path, std::string* content, std::string* error);

}  // namespace convcheck::report
