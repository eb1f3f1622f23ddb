// The one file reader for everything convcheck reads (case files, layer lists, corpus entries,
// known-deviation records, reports). It reads at most a fixed number of bytes, so /dev/zero or a
// 200 MB list is refused after the cap instead of growing memory until the kernel kills us.
#pragma once

#include <cstddef>
#include <string>

namespace convcheck {

// 64 MiB: the largest real input (a merged nightly report) is a few MB.
constexpr size_t kMaxInputBytes = size_t{64} << 20;

// Reads all of `path` ("-" = stdin) into `text`. Returns false with one line naming the path:
// cannot open (with the system's reason), is a directory, or larger than `max_bytes`.
bool ReadTextFile(const std::string& path, std::string* text, std::string* error,
                  size_t max_bytes = kMaxInputBytes);

}  // namespace convcheck
