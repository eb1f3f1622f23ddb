// The PyTorch module (or exact recipe) that runs a non-convolution case: nn.MaxPool2d(...),
// nn.Flatten(...), nn.Linear(18432, 128). TF SAME pooling, which no PyTorch pool takes, prints
// as its exact recipe: explicit pads (-inf for max) and, for avg, the sum over valid elements.
#pragma once

#include <string>

#include "oracles/conv_case.h"

namespace convcheck {

std::string PyTorchLayerModule(const ConvCase& c);

}  // namespace convcheck
