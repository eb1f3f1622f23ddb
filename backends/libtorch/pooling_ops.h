// LibTorch's run of the non-convolution cases (oracles/layer_ops.h): the at:: call a user's
// F.max_pool2d / F.avg_pool2d / F.adaptive_*_pool / torch.flatten / F.linear makes, and the
// modules whose checks live in the module (nn.BatchNorm*d). Included only by LibTorch
// translation units.
#pragma once

#include <torch/torch.h>

#include "oracles/conv_case.h"

namespace convcheck {

// The output of the layer `c` on `x` (x has c.input's shape). Throws what LibTorch throws.
// TF SAME pooling (padding "same"), which no PyTorch pool takes, runs as its exact recipe:
// explicit pads (-inf for max), and for avg the sum over the valid elements divided by their
// count (avg_pool of the padded input over avg_pool of the padded ones).
at::Tensor LayerForward(const ConvCase& c, const at::Tensor& x);

}  // namespace convcheck
