// Small helpers shared by the oracle tests: build a case from JSON text, print reproducers.
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "case_io/case_json.h"
#include "oracles/output_shape.h"

namespace convcheck::testing {

// Parses a case or fails the test with the parser's message.
inline ConvCase Case(const std::string& json) {
  const CaseParseResult r = ParseCaseText(json);
  if (!r.ok()) ADD_FAILURE() << "bad test case " << json << ": " << r.error;
  return r.ok() ? *r.value : ConvCase{};
}

// "case: {...}" for failure messages, so every failure carries its reproducer.
inline std::string Repro(const ConvCase& c) { return "case: " + CaseToJsonLine(c); }

}  // namespace convcheck::testing
