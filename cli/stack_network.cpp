#include "cli/stack_network.h"

#include <algorithm>
#include <iostream>

#include "cli/command.h"
#include "oracles/round_trip.h"

namespace convcheck::cli {

int PrintNetworkSummary(const Stack& s, const StackRun& run) {
  std::cout << "output " << FormatDims(run.shapes.back());
  if (const auto features = FirstLinearFeatures(s, run)) {
    std::cout << "; the first Linear takes in_features = " << *features;
  }
  std::cout << "\n";
  return kOk;
}

int RunValiditySweep(const Stack& s, const std::string& file, int64_t lo, int64_t hi) {
  const int rank = StackSpatialRank(s);
  std::cout << "stack " << file << ": " << s.size() << " layers, ending in flatten/linear; input sizes every layer "
            << "accepts, per spatial dim, in " << lo << ".." << hi << "\n";
  bool all = true;
  for (int d = 0; d < rank; ++d) {
    const DimRule rule = AnalyzeDim(s, d);
    const std::string& h = rule.letter;
    const int64_t from = std::max(lo, rule.min_valid);
    const int64_t count = rule.min_valid == 0 || from > hi ? 0 : hi - from + 1;
    all = all && count == hi - lo + 1;
    if (!rule.not_analysed.empty()) {
      all = false;
      std::cout << h << ": not analysed: " << rule.not_analysed << "\n";
      continue;
    }
    if (rule.min_valid == 0) {
      std::cout << h << ": no size up to 2^40 passes every layer\n";
      continue;
    }
    std::cout << h << ": every " << h << " ≥ " << rule.min_valid << " passes — " << count << " of " << hi - lo + 1
              << " sizes; at the flatten " << h << " = " << rule.min_valid << " gives "
              << StackDimOutput(s, d, rule.min_valid).value_or(0) << ", " << h << " = " << hi << " gives "
              << StackDimOutput(s, d, hi).value_or(0) << "\n";
  }
  std::cout << "the first Linear's in_features is the product of channels and these sizes: fix the input size, "
               "or end the convolutions with an adaptive pool\n";
  return all ? kOk : kFound;
}

}  // namespace convcheck::cli
