// The invertibility properties (round trips, stacks, solver, conventions):
//   RoundTripRestoresInput   conv then conv_transpose with the oracle's output_padding restores
//                            x's shape; with output_padding 0 it has the oracle's predicted shape.
//   StackAnalysisAgrees      a 2–6 layer encoder/decoder stack derived from the case: each layer's
//                            shape and the periodic round-trip rule agree with running it.
//   SolverSolutionsHold      solutions for the case's (input, output) size produce the output, and
//                            the case's own parameters are among them when within the bounds.
//   ConventionRecipeMatches  a TF/Keras/ONNX convention's PyTorch recipe gives that framework's
//                            documented size.
// Each does 1–6 backend calls on the case's own small tensors; the last three run on a
// deterministic, seed-independent subset (StableCaseHash) to keep the default run short.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "properties/property.h"
#include "oracles/stack.h"

namespace convcheck {

// RoundTripRestoresInput, StackAnalysisAgrees, SolverSolutionsHold, ConventionRecipeMatches.
std::vector<std::unique_ptr<CaseProperty>> MakeRoundTripProperties();

// The encoder/decoder stack StackAnalysisAgrees derives from a valid convolution case: the
// case itself, up to two more convolutions, then their mirrors in reverse (2, 4 or 6 layers).
Stack DerivedStack(const ConvCase& c);

}  // namespace convcheck
