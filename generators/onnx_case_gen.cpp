// ValidOnnxCase, EdgeOnnxCase, InvalidOnnxCase: a valid PyTorch-geometry draw re-derived in
// ONNX terms (auto_pad, asymmetric pads, output_shape), then, for invalid cases, one change that
// breaks exactly the named ONNX rule (oracles/onnx_shape.h).
#include "generators/onnx_case_gen.h"

#include <algorithm>
#include <array>

#include "generators/pool_case_gen.h"
#include "generators/raw_case.h"
#include "oracles/int128.h"
#include "oracles/onnx_shape.h"

namespace convcheck {
namespace {

namespace gen = rc::gen;

struct OnnxDraw {
  AutoPad mode = AutoPad::kNotSet;
  std::array<int64_t, 3> end_pad{};      // NOTSET: the end pads (0..3); the begin pads are the draw's padding
  bool output_shape = false;             // ConvTranspose: give output_shape
  std::array<int64_t, 3> shape_delta{};  // output_shape minus the size the pads give (-2..2)
};

rc::Gen<OnnxDraw> OnnxDrawGen() {
  auto three = [](rc::Gen<int64_t> g) {
    return gen::map(gen::tuple(g, g, g), [](const std::tuple<int64_t, int64_t, int64_t>& t) {
      return std::array<int64_t, 3>{std::get<0>(t), std::get<1>(t), std::get<2>(t)};
    });
  };
  return gen::build<OnnxDraw>(
      gen::set(&OnnxDraw::mode, gen::weightedOneOf<AutoPad>({{3, gen::just(AutoPad::kNotSet)},
                                                             {2, gen::just(AutoPad::kSameUpper)},
                                                             {2, gen::just(AutoPad::kSameLower)},
                                                             {1, gen::just(AutoPad::kValid)}})),
      gen::set(&OnnxDraw::end_pad, three(gen::inRange<int64_t>(0, 4))),
      gen::set(&OnnxDraw::output_shape, gen::weightedOneOf<bool>({{2, gen::just(false)}, {1, gen::just(true)}})),
      gen::set(&OnnxDraw::shape_delta, three(gen::inRange<int64_t>(-2, 3))));
}

// The draw's options for the PyTorch-geometry base: convolutions, zeros padding.
GenOptions BaseOptions(const GenOptions& opts) {
  GenOptions base = opts;
  base.ops = ConvOpsOf(opts.ops);
  base.padding_modes = false;
  base.onnx_geometry = false;
  return base;
}

i128 Extent(const ConvCase& c, size_t i) { return static_cast<i128>(c.dilation[i]) * (c.kernel[i] - 1) + 1; }

// One conv dim: the input keeps its slack above the smallest size the new pads allow.
void ConvDim(ConvCase* c, size_t i, const OnnxDraw& draw, int64_t* x) {
  const int64_t e = static_cast<int64_t>(Extent(*c, i)), p = c->padding[i];
  // A base drawn with padding "same" had a smaller minimum than its zeros pads now give: no slack.
  const int64_t slack = std::max<int64_t>(0, *x - std::max<int64_t>(1, e - 2 * p));
  int64_t end = p;
  if (draw.mode == AutoPad::kNotSet) {
    end = draw.end_pad[i];
    *x = std::max<int64_t>(1, e - p - end) + slack;
  } else {
    c->padding[i] = end = 0;
    if (draw.mode == AutoPad::kValid) *x = e + slack;
  }
  c->padding_end.push_back(end);
}

// One ConvTranspose dim: an end pad that keeps the output positive, or an output_shape near the
// size the pads give.
void ConvTransposeDim(ConvCase* c, size_t i, const OnnxDraw& draw, bool edge, int64_t x) {
  const int64_t s = c->stride[i], op = c->output_padding[i], p = c->padding[i];
  const int64_t full = (x - 1) * s + op + static_cast<int64_t>(Extent(*c, i));
  int64_t end = 0;
  if (draw.mode == AutoPad::kNotSet && !draw.output_shape) {
    end = std::min(draw.end_pad[i], full - p - 1);  // the base keeps full − 2p ≥ 1
  } else {
    c->padding[i] = 0;
  }
  c->padding_end.push_back(end);
  if (!draw.output_shape) return;
  const i128 natural = OnnxConvTransposeOutputSize(draw.mode, x, c->kernel[i], s, c->dilation[i], op, 0, 0, nullptr);
  const int64_t out = static_cast<int64_t>(natural) + (edge ? 1 : draw.shape_delta[i]);
  if (!c->output_shape) c->output_shape = Dims();
  c->output_shape->push_back(std::max<int64_t>(1, out));
}

ConvCase ToOnnx(ConvCase c, const OnnxDraw& draw, bool edge) {
  if (!IsBatched(c)) c.input.insert(c.input.begin(), 1);
  if (c.padding_kind != PaddingKind::kExplicit) c.padding.assign(c.padding.size(), 0);
  c.padding_kind = PaddingKind::kExplicit;
  c.padding_mode = PaddingMode::kZeros;
  c.auto_pad = draw.mode;
  const size_t rank = static_cast<size_t>(SpatialRank(c.op));
  for (size_t i = 0; i < rank; ++i) {
    int64_t& x = c.input[i + 2];
    if (IsTransposed(c.op)) {
      ConvTransposeDim(&c, i, draw, edge, x);
    } else {
      ConvDim(&c, i, draw, &x);
    }
  }
  return c;
}

rc::Gen<ConvCase> OnnxCase(const GenOptions& opts, bool edge) {
  const GenOptions base = BaseOptions(opts);
  return gen::map(gen::pair(RawCaseGen(base, edge), OnnxDrawGen()), [base, edge](const std::pair<RawCase, OnnxDraw>& p) {
    return ToOnnx(DeriveValidCase(p.first, base), p.second, edge);
  });
}

std::vector<Rule> BreakableRules(const ConvCase& c) {
  std::vector<Rule> rules = {Rule::kPadsWithAutoPad, Rule::kNegativePadding};
  if (IsTransposed(c.op)) {
    rules.insert(rules.end(), {Rule::kEmptyOutput, Rule::kOutputPaddingTooLarge});
  } else if (*c.auto_pad == AutoPad::kNotSet || *c.auto_pad == AutoPad::kValid) {
    rules.push_back(Rule::kKernelExceedsInput);
  }
  return rules;
}

// Changes dim `i` of a valid ONNX case so that it breaks `rule` (`amount` 1..3) and no other.
ConvCase Break(ConvCase c, Rule rule, size_t i, int64_t amount) {
  switch (rule) {
    case Rule::kPadsWithAutoPad:
      if (*c.auto_pad == AutoPad::kNotSet) c.auto_pad = AutoPad::kSameUpper;
      c.padding[i] += amount;
      break;
    case Rule::kNegativePadding:
      c.auto_pad = AutoPad::kNotSet;
      c.padding_end[i] = -amount;
      break;
    case Rule::kKernelExceedsInput:  // NOTSET or VALID conv
      if (c.kernel[i] == 1 && c.dilation[i] == 1) c.kernel[i] = 2;
      c.padding[i] = c.padding_end[i] = 0;
      c.input[i + 2] = static_cast<int64_t>(Extent(c, i)) - 1;
      break;
    case Rule::kEmptyOutput:
      if (!c.output_shape) c.output_shape = OnnxOutputShape(c).shape();
      if (c.output_shape->size() > SpatialInput(c).size()) c.output_shape->erase(c.output_shape->begin(), c.output_shape->begin() + 2);
      (*c.output_shape)[i] = 0;
      break;
    case Rule::kOutputPaddingTooLarge:
      c.output_padding[i] = std::max(c.stride[i], c.dilation[i]) + amount - 1;
      break;
    default:
      break;
  }
  return c;
}

}  // namespace

rc::Gen<ConvCase> ValidOnnxCase(const GenOptions& opts) { return OnnxCase(opts, /*edge=*/false); }

rc::Gen<ConvCase> EdgeOnnxCase(const GenOptions& opts) { return OnnxCase(opts, /*edge=*/true); }

rc::Gen<InvalidCase> InvalidOnnxCase(const GenOptions& opts) {
  return gen::mapcat(ValidOnnxCase(opts), [](const ConvCase& c) {
    const int rank = SpatialRank(c.op);
    return gen::map(gen::tuple(gen::elementOf(BreakableRules(c)), gen::inRange(0, rank), gen::inRange<int64_t>(1, 4)),
                    [c](const std::tuple<Rule, int, int64_t>& t) {
                      const Rule rule = std::get<0>(t);
                      return InvalidCase{Break(c, rule, static_cast<size_t>(std::get<1>(t)), std::get<2>(t)), rule};
                    });
  });
}

rc::Gen<ConvCase> MixedOnnxCase(const GenOptions& opts) {
  auto invalid = gen::map(InvalidOnnxCase(opts), [](const InvalidCase& ic) { return ic.c; });
  return gen::weightedOneOf<ConvCase>({{14, ValidOnnxCase(opts)}, {3, EdgeOnnxCase(opts)}, {3, invalid}});
}

}  // namespace convcheck
