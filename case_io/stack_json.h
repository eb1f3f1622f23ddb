// The stack file: a JSON list of layers in the case format without "input", each with an
// optional "name". Parsed by the case codec itself (a placeholder input is inserted), so a layer
// accepts exactly the keys and values a case does.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "oracles/stack.h"

namespace convcheck {

struct StackParseResult {
  std::optional<Stack> value;
  std::string error;  // one line: "layer 2 (decoder): kernel: expected 1 or 2 values, got 3"
  bool ok() const { return value.has_value(); }
};

// Parses a stack; never throws. Rejects an empty list, a layer that gives "input", a
// non-string "name", and layers of different spatial rank.
StackParseResult StackFromJson(const nlohmann::json& j);
StackParseResult ParseStackText(const std::string& text);

}  // namespace convcheck
