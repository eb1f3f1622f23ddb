// The JSON form of a ConvCase (ARCHITECTURE.md, "The case"). Kept in its own target so the
// oracle proper stays standard-library only; reports, the CLI and the corpus use this codec.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "oracles/conv_case.h"

namespace convcheck {

// A parsed case, or one line naming the offending key ("kernel: expected 2 values, got 3").
struct CaseParseResult {
  std::optional<ConvCase> value;
  std::string error;
  bool ok() const { return value.has_value(); }
};

// Parses one case object. Never throws: unknown keys, wrong types, wrong list lengths, negative
// counts and integers outside int64 become an error naming the key.
CaseParseResult CaseFromJson(const nlohmann::json& j);
// Parses JSON text holding one case object (a line of a .jsonl file).
CaseParseResult ParseCaseText(const std::string& text);

// The canonical JSON object: per-dim lists collapse to a scalar when all entries are equal;
// output_padding appears for transposed ops only; optional fields only when set.
nlohmann::json CaseToJson(const ConvCase& c);
// CaseToJson on one line, keys in a fixed order (stable for hashing and golden files).
std::string CaseToJsonLine(const ConvCase& c);
// The same line built from the CaseToJson tree: the definition of the line's bytes. The
// layers' lines are made this way; a convolution's line is written directly
// (case_io/conv_case_line.h), and tests hold the two to the same bytes.
std::string CaseJsonLineFromTree(const ConvCase& c);

}  // namespace convcheck
