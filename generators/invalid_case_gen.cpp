// InvalidConvCase and ExtremeConvCase: start from a valid case and change exactly what the
// named rule concerns, so the oracle must report that rule and no other.
#include <algorithm>

#include "generators/conv_case_gen.h"

namespace convcheck {
namespace {

namespace gen = rc::gen;

// Rules a given valid case can be made to break with a single change.
std::vector<Rule> BreakableRules(const ConvCase& c) {
  std::vector<Rule> rules = {Rule::kNonPositiveStride, Rule::kNonPositiveDilation,
                             Rule::kNonPositiveGroups, Rule::kChannelMismatch,
                             Rule::kWeightBelowGroups, Rule::kInputRank,
                             Rule::kNonPositiveKernel};
  if (c.groups >= 2) rules.push_back(Rule::kWeightNotDivisible);
  if (IsTransposed(c.op)) {
    rules.insert(rules.end(), {Rule::kNegativeOutputPadding, Rule::kOutputPaddingTooLarge,
                               Rule::kPaddingModeTransposed, Rule::kEmptyOutput,
                               Rule::kNegativePadding});
    if (c.groups >= 2) rules.push_back(Rule::kOutChannelsNotDivisible);
  } else {
    rules.insert(rules.end(), {Rule::kKernelExceedsInput, Rule::kSameWithStride,
                               Rule::kPaddingModeTooLarge, Rule::kNegativePadding});
  }
  return rules;
}

// Makes the case plain (explicit padding, zeros mode) where the rule needs it, so no other
// rule fires first.
void MakeExplicitZeros(ConvCase* c) {
  if (c->padding_kind == PaddingKind::kSame) {
    for (size_t i = 0; i < c->padding.size(); ++i) c->padding[i] = 0;
  }
  c->padding_kind = PaddingKind::kExplicit;
  c->padding_mode = PaddingMode::kZeros;
}

size_t InputIndex(const ConvCase& c, size_t dim) {
  return dim + (IsBatched(c) ? 2 : 1);
}

// Applies `rule` to spatial dim `dim` using a magnitude 1..3 (`amount`).
ConvCase Break(ConvCase c, Rule rule, size_t dim, int64_t amount) {
  switch (rule) {
    case Rule::kNegativePadding:
      MakeExplicitZeros(&c);
      c.padding[dim] = -amount;
      break;
    case Rule::kNonPositiveStride:
      MakeExplicitZeros(&c);
      c.stride[dim] = 1 - amount;
      break;
    case Rule::kNonPositiveDilation:
      c.dilation[dim] = 1 - amount;
      break;
    case Rule::kNonPositiveGroups:
      c.groups = 1 - amount;
      break;
    case Rule::kNegativeOutputPadding:
      c.output_padding[dim] = -amount;
      break;
    case Rule::kChannelMismatch: {
      Dims w = WeightShape(c);
      if (IsTransposed(c.op)) w[0] += c.groups;
      else w[1] += amount;
      c.weight_shape = w;
      break;
    }
    case Rule::kWeightBelowGroups: {
      Dims w = WeightShape(c);
      c.groups += amount;  // weight.size(0) stays; make it smaller than groups
      w[0] = c.groups - 1;
      if (!IsTransposed(c.op)) w[1] = InChannels(c) / c.groups;
      c.weight_shape = w;
      break;
    }
    case Rule::kWeightNotDivisible: {
      Dims w = WeightShape(c);
      w[0] += 1;
      c.weight_shape = w;
      break;
    }
    case Rule::kOutChannelsNotDivisible:
      c.out_channels += 1;
      break;
    case Rule::kNonPositiveKernel: {
      Dims w = WeightShape(c);
      w[dim + 2] = 0;
      c.weight_shape = w;
      break;
    }
    case Rule::kInputRank:
      if (IsBatched(c)) c.input.insert(c.input.begin(), amount);
      else c.input.erase(c.input.begin());
      c.layout = Layout::kContiguous;
      break;
    case Rule::kKernelExceedsInput: {
      MakeExplicitZeros(&c);
      const int64_t x = c.input[InputIndex(c, dim)];
      c.kernel[dim] = (x + 2 * c.padding[dim]) / c.dilation[dim] + 1 + amount;
      break;
    }
    case Rule::kSameWithStride:
      c.padding_kind = PaddingKind::kSame;
      std::fill(c.padding.begin(), c.padding.end(), 0);
      c.padding_mode = PaddingMode::kZeros;
      c.stride[dim] = 1 + amount;
      break;
    case Rule::kPaddingModeTooLarge: {
      MakeExplicitZeros(&c);
      c.padding_mode = PaddingMode::kReflect;
      for (size_t i = 0; i < c.padding.size(); ++i) {
        c.padding[i] = std::min(c.padding[i], c.input[InputIndex(c, i)] - 1);
      }
      c.padding[dim] = c.input[InputIndex(c, dim)] + amount - 1;
      break;
    }
    case Rule::kPaddingModeTransposed:
      c.padding_mode = static_cast<PaddingMode>(amount);  // reflect, replicate or circular
      break;
    case Rule::kOutputPaddingTooLarge:
      c.output_padding[dim] = std::max(c.stride[dim], c.dilation[dim]) + amount - 1;
      break;
    case Rule::kEmptyOutput: {
      const int64_t x = c.input[InputIndex(c, dim)];
      const int64_t span = (x - 1) * c.stride[dim] + c.dilation[dim] * (c.kernel[dim] - 1) +
                           c.output_padding[dim] + 1;
      c.padding[dim] = (span + 1) / 2 + amount - 1;
      break;
    }
    default:
      break;
  }
  return c;
}

}  // namespace

rc::Gen<InvalidCase> InvalidConvCase(const GenOptions& opts) {
  GenOptions plain = opts;
  plain.layouts = false;
  return gen::mapcat(ValidConvCase(plain), [](const ConvCase& valid) {
    const auto rank = static_cast<size_t>(SpatialRank(valid.op));
    return gen::map(gen::tuple(gen::elementOf(BreakableRules(valid)),
                               gen::inRange<size_t>(0, rank), gen::inRange<int64_t>(1, 4)),
                    [valid](const std::tuple<Rule, size_t, int64_t>& t) {
                      const Rule rule = std::get<0>(t);
                      return InvalidCase{Break(valid, rule, std::get<1>(t), std::get<2>(t)), rule};
                    });
  });
}

rc::Gen<ConvCase> ExtremeConvCase(const GenOptions& opts) {
  static const std::vector<int64_t> kBoundaries = {
      (int64_t{1} << 31) - 1, int64_t{1} << 31,       (int64_t{1} << 31) + 1,
      (int64_t{1} << 31) + 2, (int64_t{1} << 32) - 1, int64_t{1} << 32,
      (int64_t{1} << 32) + 1, int64_t{1} << 62,       INT64_MAX - 1,
      INT64_MAX};
  enum Field { kPadding, kStride, kDilation, kGroups, kOutputPadding, kZeroBatch, kZeroChannels,
               kZeroSpatial };
  GenOptions plain = opts;
  plain.layouts = false;
  plain.padding_modes = false;
  return gen::mapcat(ValidConvCase(plain), [](const ConvCase& valid) {
    const auto rank = static_cast<size_t>(SpatialRank(valid.op));
    return gen::map(
        gen::tuple(gen::inRange<int>(kPadding, kZeroSpatial + 1), gen::inRange<size_t>(0, rank),
                   gen::elementOf(kBoundaries)),
        [valid](const std::tuple<int, size_t, int64_t>& t) {
          ConvCase c = valid;
          const size_t dim = std::get<1>(t);
          const int64_t v = std::get<2>(t);
          c.padding_kind = PaddingKind::kExplicit;
          switch (std::get<0>(t)) {
            case kPadding: c.padding[dim] = v; break;
            case kStride: c.stride[dim] = v; break;
            case kDilation: c.dilation[dim] = v; break;
            case kGroups: c.groups = v; break;
            case kOutputPadding:
              if (IsTransposed(c.op)) c.output_padding[dim] = v;
              else c.padding[dim] = v;
              break;
            case kZeroBatch:
              if (IsBatched(c)) c.input[0] = 0;
              break;
            case kZeroChannels:
              c.input[IsBatched(c) ? 1 : 0] = 0;
              break;
            case kZeroSpatial:
              c.input[dim + (IsBatched(c) ? 2 : 1)] = 0;
              break;
          }
          return c;
        });
  });
}

}  // namespace convcheck
