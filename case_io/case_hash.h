// The one stable case hash: FNV-1a 64 of the canonical case line (CaseToJsonLine), so it is the
// same across runs, machines and builds, and changes only when the case format does. Corpus file
// names and the properties' deterministic subsets both use it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "oracles/conv_case.h"

namespace convcheck {

// FNV-1a 64 of `bytes`, continuing from `h`.
uint64_t Fnv1a64(std::string_view bytes, uint64_t h = 0xcbf29ce484222325ULL);
// The hash of the case alone.
uint64_t StableCaseHash(const ConvCase& c);
// The hash of the case and the property it was saved for (corpus entry names).
uint64_t StableCaseHash(const ConvCase& c, const std::string& property);

}  // namespace convcheck
