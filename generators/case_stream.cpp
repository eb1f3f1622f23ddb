#include "generators/case_stream.h"

namespace convcheck {
namespace {
// RapidCheck's size parameter. Our generators draw from explicit ranges, so size barely
// matters; a fixed maximum avoids the ramp that makes early cases tiny.
constexpr int kGenSize = 100;


rc::Gen<ConvCase> StreamGen(StreamOptions opts) {
  opts.gen.worked_examples = false;  // listed up front, once each
  if (!opts.extreme) return MixedConvCase(opts.gen);
  return rc::gen::weightedOneOf<ConvCase>(
      {{7, MixedConvCase(opts.gen)}, {1, ExtremeConvCase(opts.gen)}});
}
}  // namespace

CaseStream::CaseStream(uint64_t seed, const StreamOptions& opts)
    : seed_(seed), fixed_(WorkedExampleCases(opts.gen)), gen_(StreamGen(opts)) {}

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
