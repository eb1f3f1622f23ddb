// The reproducer block printed for every divergence: the case JSON on one line, and one-line
// C++ and Python calls a user can paste into a framework's bug tracker.
#pragma once

#include <string>

#include "properties/verdict.h"

namespace convcheck {

// `at::conv2d(torch::zeros({1, 3, 8, 8}), torch::zeros({6, 3, 3, 3}), ...).sizes()`
std::string CppRepro(const ConvCase& c);
// `torch.nn.functional.conv2d(torch.zeros(1, 3, 8, 8), torch.zeros(6, 3, 3, 3), ...).shape`
std::string PythonRepro(const ConvCase& c);
// One line: "valid: [1, 6, 8, 8]" or "invalid: kernel_exceeds_input (dim 0: ...)".
std::string DescribeExpectation(const ShapeResult& r);
// One line: "shape [1, 6, 8, 8]", "rejected: <message>" (or "rejected (c10::IndexError):
// <message>" when the backend tells the error type) or "skipped: <reason>".
std::string DescribeOutcome(const BackendOutcome& o);
// The whole block, starting with "=== Divergence found".
std::string ReproducerBlock(const CaseResult& r);

}  // namespace convcheck
