// A convolution case's canonical JSON line, written straight into a string. The line is what
// StableCaseHash hashes (properties sample cases by it, the corpus names files by it), so the
// engine needs it for nearly every case: through a nlohmann::json tree it cost ~10 us and 16% of
// the judging process's CPU in a default run. The bytes are those of the tree's form
// (CaseJsonLineFromTree, case_json.h; tests compare the two on every generator's cases).
#pragma once

#include <string>

#include "oracles/conv_case.h"

namespace convcheck {

// The line of a case whose op IsConvOp; the layers' lines go through the tree.
std::string ConvCaseJsonLine(const ConvCase& c);

}  // namespace convcheck
