#include "engine/data_dirs.h"

#include <filesystem>

namespace convcheck {
namespace fs = std::filesystem;

std::string ShippedKnownDir() {
  const std::string exe_dir = ExecutableDir();
  if (exe_dir.empty()) return "";
  const fs::path known = fs::path(exe_dir) / ".." / "share" / "convcheck" / "known";
  std::error_code ec;
  return fs::is_directory(known, ec) ? known.lexically_normal().string() : "";
}

std::optional<std::string> ResolveCorpus(const std::string& flag, std::string* error) {
  std::error_code ec;
  if (!flag.empty()) {
    if (fs::is_directory(flag, ec)) return flag;
    *error = "--corpus " + flag + ": " + (fs::exists(flag, ec) ? "not a folder" : "no such folder") +
             " (create it, or leave --corpus out to save nothing)";
    return std::nullopt;
  }
  if (fs::is_directory("corpus", ec)) return std::string("corpus");
  return std::string();
}

std::string KnownDirFor(const std::string& corpus) {
  std::error_code ec;
  if (!corpus.empty() && fs::is_directory(fs::path(corpus) / "known", ec)) return corpus + "/known";
  return ShippedKnownDir();
}

}  // namespace convcheck
