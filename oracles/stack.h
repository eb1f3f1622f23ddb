// A stack of layers (an encoder followed by a decoder) and the analysis of which input sizes it
// maps back onto themselves.
//
// Why the answer is periodic: a convolution with stride s maps x + s to f(x) + 1 and a transposed
// convolution maps x + 1 to g(x) + s, so with T = the product of the convolutions' strides in a
// dim, the stack maps x + T to out(x) + T·R (R = product of transposed strides / product of
// convolution strides), for every x at or above the smallest valid size (validity is monotone in
// x). When R = 1 the deficit out(x) − x depends only on x mod T, so one evaluation per residue
// class decides every size; otherwise each class holds at most one round-tripping size.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "oracles/conv_case.h"
#include "oracles/rule.h"

namespace convcheck {

struct StackLayer {
  std::string name;  // optional, from the stack file
  ConvCase layer;    // its `input` is a placeholder; the stack supplies the real one
};
using Stack = std::vector<StackLayer>;

// Spatial rank of the stack's first layer with spatial dims (convolution, pool, max_unpool,
// upsample); 0 when it has none.
int StackSpatialRank(const Stack& s);
// True when a layer (flatten, linear) ends the spatial dims, so the round-trip analysis does
// not apply; `stack --input` traces such stacks.
bool StackHasSpatialEnd(const Stack& s);

// The case a layer runs for a given input shape.
ConvCase LayerCase(const ConvCase& layer, const Dims& input);

// The shapes a stack produces for one input, or the first layer that rejects it.
struct StackRun {
  Dims input;
  std::vector<Dims> shapes;  // output of each layer that ran
  int failed_layer = -1;
  std::optional<RuleViolation> violation;
  bool ok() const { return failed_layer < 0; }
  bool RoundTrips() const { return ok() && !shapes.empty() && shapes.back() == input; }
};
StackRun RunStack(const Stack& s, const Dims& input);

// Size of spatial dim `dim` after the whole stack for size x in that dim (channels and the
// other dims ignored); nullopt when a layer rejects it. A stack that flattens gives the size
// that reaches its first flatten or linear layer.
// The number of input features the first linear layer of a run takes (the last dim reaching
// it); nullopt when the stack has no linear layer or the run stopped before it.
std::optional<int64_t> FirstLinearFeatures(const Stack& s, const StackRun& run);
std::optional<int64_t> StackDimOutput(const Stack& s, int dim, int64_t x);

// Sizes in one residue class: x = representative + m·period (m >= 0) gives
// out(x) − x = deficit + m·slope.
struct ResidueClass {
  int64_t residue = 0;
  int64_t representative = 0;  // smallest valid size in the class
  int64_t deficit = 0;
  int64_t slope = 0;           // 0 when the stack's stride ratio is 1
};

// The round-trip rule of one spatial dim.
struct DimRule {
  int dim = 0;
  std::string letter;         // "H"
  int64_t min_valid = 0;      // smallest size every layer accepts; 0: none up to 2^40
  int64_t stride_product = 1; // T, the product of the convolutions' strides
  int64_t period = 1;         // smallest period of the classes (divides T); 0: not analysed
  std::string not_analysed;   // why period is 0, when a layer makes the dim non-periodic
  std::vector<ResidueClass> classes;  // one per residue mod period
  bool RoundTrips(int64_t x) const;
  // How many sizes in [lo, hi] round-trip, in closed form (one step per class, never per size),
  // so a sweep up to 2^63 − 1 costs what a sweep to 100 does.
  int64_t CountRoundTrips(int64_t lo, int64_t hi) const;
  // out(x) − x for a valid x (x >= min_valid).
  int64_t Deficit(int64_t x) const;
  // "round-trips iff H ≡ 1 (mod 2) and H ≥ 1"
  std::string Sentence() const;
};
// Never throws; a stack whose period exceeds 2^20 is analysed with that many classes capped
// (period 0 in the result means "not analysed").
// Up-samplers: max_unpool maps y + 1 to out + s and nn.Upsample(scale_factor=k) maps x + 1 to
// out + k, like a transposed convolution, so they keep the rule periodic; a dyadic scale a/2^b
// (1.5, 0.25) multiplies T by 2^b. Not analysed (period 0, `not_analysed` says why): a
// max_unpool with an explicit output_size or a stride <= 0 in the dim (its validity is then
// not monotone in the size) and a scale factor that is not a/2^b with b <= 6 and a < 2^12
// (the double product floor(x·s) is then not periodic in x).
DimRule AnalyzeDim(const Stack& s, int dim);

// One output_padding change.
struct OutputPaddingChange {
  size_t layer = 0;
  int64_t from = 0;
  int64_t to = 0;
};
// The smallest change (least total |Δ|, then fewest layers) of the transposed layers'
// output_padding in `dim` that makes size x round-trip — and, when period > 0, x + period
// too (so every size of x's class above x). nullopt when no combination within PyTorch's
// bounds works.
std::optional<std::vector<OutputPaddingChange>> SmallestFix(const Stack& s, int dim, int64_t x,
                                                            int64_t period);

// "layer 2 (decoder) output_padding[H] 0 → 1"
std::string DescribeChange(const Stack& s, int dim, const OutputPaddingChange& c);

}  // namespace convcheck
