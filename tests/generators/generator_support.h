// Shared by the generator tests: a drawn case must be valid and survive the JSON codec.
#pragma once

#include <rapidcheck.h>

#include "case_io/case_json.h"
#include "oracles/output_shape.h"

namespace convcheck::testing {

// Fails the property when the oracle refuses `c` or the codec does not give it back unchanged.
inline void AssertValidCase(const ConvCase& c) {
  const ShapeResult r = OutputShape(c);
  if (!r.ok()) RC_LOG() << CaseToJsonLine(c) << " -> " << r.violation().message;
  RC_ASSERT(r.ok());
  const CaseParseResult back = ParseCaseText(CaseToJsonLine(c));
  RC_ASSERT(back.ok());
  RC_ASSERT(*back.value == c);
}

}  // namespace convcheck::testing
