// Small helpers shared by the oracle tests: build a case from JSON text, print reproducers.
#pragma once

#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "case_io/case_json.h"
#include "oracles/output_shape.h"
#include "oracles/stack.h"

namespace convcheck::testing {

// Parses a case or fails the test with the parser's message.
inline ConvCase Case(const std::string& json) {
  const CaseParseResult r = ParseCaseText(json);
  if (!r.ok()) ADD_FAILURE() << "bad test case " << json << ": " << r.error;
  return r.ok() ? *r.value : ConvCase{};
}

// "case: {...}" for failure messages, so every failure carries its reproducer.
inline std::string Repro(const ConvCase& c) { return "case: " + CaseToJsonLine(c); }

// The shape the oracle gives a case written as JSON, failing the test when it refuses it.
inline Dims ShapeOf(const std::string& json) {
  const ShapeResult r = OutputShape(Case(json));
  EXPECT_TRUE(r.ok()) << json << ": " << (r.ok() ? "" : r.violation().message);
  return r.ok() ? r.shape() : Dims{};
}

// The rule the oracle refuses a case with, failing the test when it accepts it.
inline RuleViolation ViolationOf(const std::string& json) {
  const ShapeResult r = OutputShape(Case(json));
  EXPECT_FALSE(r.ok()) << json << " gave " << (r.ok() ? FormatDims(r.shape()) : "");
  return r.ok() ? RuleViolation{Rule::kOverflow, -9, ""} : r.violation();
}
inline Rule RuleOf(const std::string& json) { return ViolationOf(json).rule; }

// A stack's layers as case lines (input placeholder [1, 2, 1]), for failure messages.
inline std::string DescribeStack(const Stack& s) {
  std::string out;
  for (const StackLayer& l : s) out += CaseToJsonLine(LayerCase(l.layer, {1, 2, 1})) + "\n";
  return out;
}

// Where a 1-d stack's per-dim size (StackDimOutput: each layer projected to the dim) differs
// from what the whole stack computes (RunStack on [1, 2, x], channels included), for x in
// 1..max_x; "" when it never does. The rules are built from the per-dim size.
inline std::string ProjectedSizeMismatch(const Stack& s, int64_t max_x) {
  for (int64_t x = 1; x <= max_x; ++x) {
    const StackRun run = RunStack(s, {1, 2, x});
    const std::optional<int64_t> out = StackDimOutput(s, 0, x);
    if (out.has_value() != run.ok() || (out && *out != run.shapes.back().back())) {
      return "size " + std::to_string(x) + ": projected " + (out ? std::to_string(*out) : "rejected") + ", stack " +
             (run.ok() ? FormatDims(run.shapes.back()) : "rejected") + " for stack\n" + DescribeStack(s);
    }
  }
  return "";
}

}  // namespace convcheck::testing
