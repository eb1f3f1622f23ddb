// The one way convcheck parses JSON it did not write itself (cases, layer lists, corpus entries,
// known-deviation records, reports). A hostile file can nest 100,000 arrays or list 100 million
// numbers; nlohmann builds and copies trees recursively and at ~16 bytes a value, so both limits
// are checked by a streaming (SAX) pass that builds nothing, before any tree exists.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace convcheck {

struct JsonLimits {
  // Deepest real input is a report (object > list > object > object > list): 64 is ample.
  size_t max_depth = 64;
  // A 40k-failure report holds ~1M values; 8M keeps the tree under ~1 GB worst case.
  size_t max_values = 8'000'000;
};

// Parses `text`, or returns a discarded value with one line in `error` ("not valid JSON at byte
// 17", "nested deeper than 64 levels at byte 65"). Never throws, never recurses deeper than the cap.
nlohmann::json ParseBoundedJson(const std::string& text, std::string* error,
                                const JsonLimits& limits = JsonLimits{});

}  // namespace convcheck
