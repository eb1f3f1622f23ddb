// The CPU's instruction-set flags, for known deviations that only exist on some CPUs: LibTorch
// 1.13 sends bfloat16 convolutions to oneDNN only when mkldnn_bf16_device_check() holds
// (aten/src/ATen/native/mkldnn/Utils.h: avx512bw, avx512vl and avx512dq), so its oneDNN bf16
// bugs appear on such CPUs and other CPUs refuse the same cases instead.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace convcheck {

// The flags of /proc/cpuinfo's first "flags" line; nullopt where it cannot be read (not Linux).
std::optional<std::set<std::string>> CpuFlags();
// True when the CPU has every flag in `flags`, or when the flags cannot be read (a record then
// applies, as it did before it was scoped: better a visible xpass than a silently dropped bug).
bool CpuHasFlags(const std::vector<std::string>& flags);

}  // namespace convcheck
