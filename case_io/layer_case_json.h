// The JSON form of the non-convolution cases (pooling, flatten, linear, shape-neutral layers;
// oracles/layer_ops.h). Part of the one case codec: case_json.cpp hands these ops here, so a
// case file, a stack layer and the corpus read them the same way. Keys per op:
//   max_poolNd:  kernel, stride (default: kernel), padding (ints, "valid", or "same" = TF SAME),
//                dilation, ceil_mode
//   avg_poolNd:  kernel, stride, padding, ceil_mode, count_include_pad, divisor_override (2d/3d)
//   adaptive_{avg,max}_poolNd: output_size
//   flatten: start_dim (default 1), end_dim (default -1)
//   linear: out_features, in_features (default: the input's last dim), bias
//   batch_normNd: num_features (default: the input's channels)
//   max_unpoolNd: kernel, stride (default: kernel), padding, output_size (optional, spatial)
//   upsampleNd: size or scale_factor (exactly one; numbers), mode ("nearest", "linear",
//               "bilinear", "trilinear"; default "nearest"), align_corners (optional)
//   relu, tanh, sigmoid, dropout: nothing else
// plus op, input, dtype, device, seed for all of them.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "case_io/case_json.h"

namespace convcheck {

// Parses a case whose "op" is not a convolution; never throws; errors name the key
// ("dilation: avg_pool2d takes no dilation").
CaseParseResult LayerCaseFromJson(const nlohmann::json& j);
// The canonical object: per-dim lists collapse to a scalar when all entries are equal;
// each op writes only its own keys.
nlohmann::json LayerCaseToJson(const ConvCase& c);

}  // namespace convcheck
