// Round trip of a max/avg pool: which decoder layer restores the input size — max_unpool with
// the pool's kernel, stride and padding (its default output, or an explicit output_size), or
// nn.Upsample(scale_factor=stride) — per dim, exactly.
//
// PyTorch's rule (torch/nn/functional.py _unpool_output_size, used by max_unpool1d/2d/3d): the
// default output is (y − 1)·s + k − 2p; an explicit output_size must lie strictly between
// default − s and default + s. nn.Upsample(scale_factor=s, mode="nearest") gives floor(y·s) = y·s
// for an integer s (aten/src/ATen/native/UpSample.cpp compute_output_size).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "oracles/conv_case.h"
#include "oracles/rule.h"

namespace convcheck {

// One spatial dim.
struct PoolDimRoundTrip {
  int64_t input = 0;           // x
  int64_t pool_output = 0;     // y
  int64_t unpool_default = 0;  // (y − 1)s + k − 2p: max_unpool without output_size
  int64_t unpool_min = 0;      // the output_size max_unpool accepts: [default − s + 1,
  int64_t unpool_max = 0;      //   default + s − 1]
  int64_t upsample_output = 0; // y·s: nn.Upsample(scale_factor=s)
  bool DefaultRestores() const { return unpool_default == input; }
  bool OutputSizeRestores() const { return input >= unpool_min && input <= unpool_max; }
  bool UpsampleRestores() const { return upsample_output == input; }
};

struct PoolRoundTrip {
  std::optional<RuleViolation> violation;  // the pool is invalid, or not a max/avg pool
  std::vector<PoolDimRoundTrip> dims;
  bool ok() const { return !violation; }
  bool DefaultRestores() const;     // every dim
  bool OutputSizeRestores() const;  // every dim: max_unpool(..., output_size=input) is accepted
  bool UpsampleRestores() const;    // every dim
};

// The round trip of a max_pool/avg_pool case. Never throws; sizes beyond int64 saturate.
// Example: max_pool2d [1,3,61,72] k2 -> dims {61, 30, default 60, accepts 59..61, upsample 60}.
PoolRoundTrip PoolRoundTripOf(const ConvCase& pool);

// For which sizes of dim `dim` max_unpool's default output restores the input, as a sentence:
// "max_unpool's default restores H iff H ≡ 0 (mod 2)" (one evaluation per residue class, at a
// size far from ceil_mode's last-window edge). Empty when the pool is invalid.
std::string UnpoolRestoreSentence(const ConvCase& pool, int dim);

}  // namespace convcheck
