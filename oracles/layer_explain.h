// ExplainShape for the non-convolution layers (oracles/layer_ops.h): the op and input, the
// pooling formula per dim with the numbers substituted (ceil mode and TF SAME spelled out), and
// the output or the rule that rejects the case.
#pragma once

#include <string>
#include <vector>

#include "oracles/conv_case.h"

namespace convcheck {

std::vector<std::string> ExplainLayerShape(const ConvCase& c);

}  // namespace convcheck
