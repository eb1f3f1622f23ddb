#include "generators/case_stream.h"

#include "generators/pool_case_gen.h"
#include "generators/witness_cases.h"
#include "oracles/layer_ops.h"

namespace convcheck {
namespace {
// RapidCheck's size parameter. Our generators draw from explicit ranges, so size barely
// matters; a fixed maximum avoids the ramp that makes early cases tiny.
constexpr int kGenSize = 100;


rc::Gen<ConvCase> ConvStreamGen(StreamOptions opts) {
  opts.gen.worked_examples = false;  // listed up front, once each
  if (!opts.extreme) return MixedConvCase(opts.gen);
  return rc::gen::weightedOneOf<ConvCase>(
      {{7, MixedConvCase(opts.gen)}, {1, ExtremeConvCase(opts.gen)}});
}

// Pooling, flatten, linear, ... (generators/pool_case_gen.h) take one case in ten when the
// run's ops include any; the convolutions keep the rest.
rc::Gen<ConvCase> StreamGen(const StreamOptions& opts) {
  StreamOptions conv = opts, layers = opts;
  conv.gen.ops = ConvOpsOf(opts.gen.ops);
  layers.gen.ops = LayerOpsOf(opts.gen.ops);
  if (layers.gen.ops.empty()) return ConvStreamGen(opts);
  bool pools = false;
  for (Op op : layers.gen.ops) pools = pools || IsWindowPool(op) || IsAdaptivePool(op) || IsUpsampler(op);
  rc::Gen<ConvCase> layer = MixedPoolCase(layers.gen);
  if (opts.extreme && pools) layer = rc::gen::weightedOneOf<ConvCase>({{7, layer}, {1, ExtremePoolCase(layers.gen)}});
  if (conv.gen.ops.empty()) return layer;
  return rc::gen::weightedOneOf<ConvCase>({{9, ConvStreamGen(conv)}, {1, layer}});
}
std::vector<ConvCase> FixedCases(const GenOptions& opts) {
  std::vector<ConvCase> out = WorkedExampleCases(opts);
  for (ConvCase& c : WitnessCases(opts)) out.push_back(std::move(c));
  return out;
}
}  // namespace

CaseStream::CaseStream(uint64_t seed, const StreamOptions& opts)
    : seed_(seed), fixed_(FixedCases(opts.gen)), gen_(StreamGen(opts)) {}

rc::Shrinkable<ConvCase> CaseStream::At(uint64_t index) const {
  if (index < fixed_.size()) return rc::shrinkable::just(fixed_[index]);
  const rc::Random random(rc::Random::Key{seed_, index, 0x636f6e76ULL, 0x636865636bULL});
  return gen_(random, kGenSize);
}

ConvCase Shrink(const rc::Shrinkable<ConvCase>& failing,
                const std::function<bool(const ConvCase&)>& still_fails, int* steps,
                int max_tries) {
  rc::Shrinkable<ConvCase> current = failing;
  int tries = 0;
  *steps = 0;
  bool progressed = true;
  while (progressed && tries < max_tries) {
    progressed = false;
    auto children = current.shrinks();
    while (auto child = children.next()) {
      if (++tries > max_tries) break;
      if (still_fails(child->value())) {
        current = *child;
        ++*steps;
        progressed = true;
        break;
      }
    }
  }
  return current.value();
}

}  // namespace convcheck
