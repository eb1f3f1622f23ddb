// PyTorch text for the non-convolution modules of a stack: nn.MaxPool2d(2), nn.AvgPool2d(3,
// stride=2, padding=1, count_include_pad=False), nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(),
// nn.Linear(18432, 128), nn.MaxUnpool2d(2), nn.Upsample(scale_factor=2) — read (never evaluated) into the case format, so `convcheck stack`
// traces a pasted nn.Sequential through its pools and dense layers.
#pragma once

#include <optional>
#include <string>

#include "case_io/py_call.h"
#include "oracles/conv_case.h"

namespace convcheck {

struct LayerModuleParse {
  std::optional<ConvCase> layer;  // its input is a placeholder
  std::string error;              // non-empty: the module is one of these but malformed
};

// nullopt when `call` is not a pool, max_unpool, upsample, nn.Flatten or nn.Linear module (the
// caller handles the convolutions and the shape-keeping modules); otherwise the layer or one
// line naming the argument: "nn.MaxPool2d: kernel_size: required". nn.Upsample has no rank of
// its own: a size/scale_factor tuple gives it, else `rank_hint` (the stack's; 2 when not 1..3).
std::optional<LayerModuleParse> ParseLayerModule(const PyValue& call, int rank_hint = 2);

}  // namespace convcheck
