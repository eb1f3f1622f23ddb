// The reproducer lines for the non-convolution cases (oracles/layer_ops.h): the at:: call and
// the PyTorch module a user pastes into a bug report. engine/reproducer.cpp dispatches here.
#pragma once

#include <string>

#include "oracles/conv_case.h"

namespace convcheck {

// `at::max_pool2d(torch::zeros({1, 1, 5, 5}), {2, 2}, {2, 2}, {1, 1}, {1, 1}, true).sizes()`
std::string LayerCppRepro(const ConvCase& c);
// `import torch; ...; x = torch.zeros(1, 1, 5, 5); print(nn.MaxPool2d(...)(x).shape)`
std::string LayerPythonRepro(const ConvCase& c);

}  // namespace convcheck
