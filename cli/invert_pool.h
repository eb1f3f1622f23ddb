// `convcheck invert` of a max/avg pool: the decoder layer that restores its input size —
// max_unpool (default output, or output_size=) or nn.Upsample — per dim
// (oracles/pool_round_trip.h), as text or --json.
#pragma once

#include "cli/json_flag.h"
#include "oracles/conv_case.h"

namespace convcheck::cli {

// Exit 0 when a decoder restores the input (max_unpool with output_size= for a max pool,
// nn.Upsample(size=) for either), 1 when the pool is invalid, 2 when the JSON cannot be written.
int RunPoolInvert(const ConvCase& pool, bool explain, const JsonFlag& json);

}  // namespace convcheck::cli
