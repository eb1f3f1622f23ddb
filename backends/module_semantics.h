// What nn.Conv*d / nn.ConvTranspose*d do around the functional op, written once for every
// place that has to reproduce it (the LibTorch backends and the printed reproducers). It is
// deliberately computed here, not taken from the oracle, so an oracle bug cannot hide itself
// in the backend that checks it.
#pragma once

#include <vector>

#include "oracles/conv_case.h"

namespace convcheck {

// The F.pad amounts nn.Conv*d applies for a non-zero padding_mode
// (torch/nn/modules/conv.py, _reversed_padding_repeated_twice): last dim first, (left, right)
// per dim; padding="same" splits d·(k−1) as total/2 left, the rest right. `weight` is the
// weight shape ([out, in/groups, *k] or its transposed form).
std::vector<int64_t> ModulePads(const ConvCase& c, const Dims& weight);

// Length of the bias vector for `weight`: out channels (conv) or weight[1]·groups (convT);
// 0 when the weight has fewer than two dims.
int64_t BiasLength(const ConvCase& c, const Dims& weight);

}  // namespace convcheck
