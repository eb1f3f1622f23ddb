// The one test of "this numeric result is no finding", shared by the numeric property tests
// (convolutions, pools, linear, flatten, elementwise layers).
#pragma once

#include <string>

#include "properties/verdict.h"

namespace convcheck::testing {

// Agree, or skipped for a reason a default run explains: the work cap, no CUDA device, a shape
// failure that ShapeAgrees reports ("shape property failed"), or the recorded max pool window of
// padding only whose LibTorch backward is not run. Any other verdict or skip is a finding.
inline bool AgreesOrExplainedSkip(const CaseResult& r) {
  if (r.verdict == Verdict::kAgree) return true;
  if (r.verdict != Verdict::kSkipped) return false;
  for (const char* reason : {"work cap", "no CUDA device", "shape property failed", "max pool window of padding only"}) {
    if (r.detail.find(reason) != std::string::npos) return true;
  }
  return false;
}

}  // namespace convcheck::testing
