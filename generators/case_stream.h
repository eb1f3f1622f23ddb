// The deterministic stream of generated cases: case i of seed s depends on (s, i) alone, so a
// run can be split into shards or workers by index and still draw exactly the same cases.
// The first cases of every stream are the documentation's worked examples, once per dtype
// (WorkedExampleCases), then the witness cases (generators/witness_cases.h); the random mix
// follows.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include <rapidcheck.h>

#include "generators/conv_case_gen.h"

namespace convcheck {

struct StreamOptions {
  GenOptions gen;
  bool extreme = false;  // mix ExtremeConvCase in (1 case in 8)
};

class CaseStream {
 public:
  CaseStream(uint64_t seed, const StreamOptions& opts);
  // The i-th case with its shrink tree (RapidCheck's Shrinkable), for minimizing failures.
  rc::Shrinkable<ConvCase> At(uint64_t index) const;

 private:
  uint64_t seed_;
  std::vector<ConvCase> fixed_;  // indices 0 .. fixed_.size()-1
  rc::Gen<ConvCase> gen_;
};

// Walks the shrink tree of a failing case: repeatedly takes the first smaller case for which
// `still_fails` holds. Returns the minimal case found and the number of accepted shrink steps.
ConvCase Shrink(const rc::Shrinkable<ConvCase>& failing,
                const std::function<bool(const ConvCase&)>& still_fails, int* steps,
                int max_tries = 2000);

}  // namespace convcheck
