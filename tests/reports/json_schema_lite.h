// A validator for the subset of JSON Schema (2020-12) that reports/report.schema.json uses:
// $ref to "#/$defs/<name>", type (one or a list), properties, required, additionalProperties
// (false or a schema), items, enum, const, minimum, pattern (strings only). Annotations
// ($schema, $id, $defs, title, description) are skipped; any other keyword is reported as an
// error, so the schema can never use a keyword this validator silently ignores.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace convcheck::report::testing {

// The violations of `instance` against `schema` ("/failures/0/verdict: not in enum"); empty
// when valid.
std::vector<std::string> ValidateJson(const nlohmann::json& instance, const nlohmann::json& schema);

}  // namespace convcheck::report::testing
