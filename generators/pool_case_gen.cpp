#include "generators/pool_case_gen.h"

#include <algorithm>

#include "generators/upsampler_case_gen.h"
#include "oracles/layer_ops.h"

namespace convcheck {
namespace {

namespace gen = rc::gen;

std::vector<Op> PoolOpsIn(const GenOptions& opts) {
  std::vector<Op> out;
  for (Op op : LayerOpsOf(opts.ops)) {
    if (IsWindowPool(op) || IsAdaptivePool(op)) out.push_back(op);
  }
  return out;
}

std::vector<Op> OtherOpsIn(const GenOptions& opts) {
  std::vector<Op> out;
  for (Op op : LayerOpsOf(opts.ops)) {
    if (!IsWindowPool(op) && !IsAdaptivePool(op) && !IsUpsampler(op)) out.push_back(op);
  }
  return out;
}

std::vector<Op> UpsamplerOpsIn(const GenOptions& opts) {
  std::vector<Op> out;
  for (Op op : LayerOpsOf(opts.ops)) {
    if (IsUpsampler(op)) out.push_back(op);
  }
  return out;
}

// The leading dims: unbatched [C], batched [N, C] (N 1..2).
Dims Leading() {
  const bool batched = *gen::weightedElement<bool>({{3, true}, {1, false}});
  const int64_t channels = *gen::inRange<int64_t>(1, 5);
  if (!batched) return {channels};
  return {*gen::inRange<int64_t>(1, 3), channels};
}

ConvCase BaseCase(Op op, const GenOptions& opts) {
  ConvCase c;
  c.op = op;
  c.dtype = *gen::elementOf(opts.dtypes);
  c.device = opts.device;
  c.out_channels = 0;
  const size_t rank = static_cast<size_t>(SpatialRank(op));
  c.kernel = c.stride = c.dilation = Dims(rank, 1);
  c.padding = c.output_padding = Dims(rank, 0);
  c.input = Leading();
  return c;
}

ConvCase ValidWindowPool(Op op, const GenOptions& opts) {
  ConvCase c = BaseCase(op, opts);
  const bool max = FamilyOf(op) == OpFamily::kMaxPool;
  const int rank = SpatialRank(op);
  const int64_t kmax = rank == 3 ? 3 : 4;
  const bool default_stride = *gen::arbitrary<bool>();
  for (int i = 0; i < rank; ++i) {
    const int64_t k = *gen::inRange<int64_t>(1, kmax + 1);
    c.kernel[i] = k;
    c.stride[i] = default_stride ? k : *gen::inRange<int64_t>(1, 4);
    c.padding[i] = *gen::inRange<int64_t>(0, k / 2 + 1);
    c.dilation[i] = max ? *gen::inRange<int64_t>(1, 3) : 1;
    const int64_t extent = c.dilation[i] * (k - 1) + 1;
    // avg_pool3d needs the unpadded input to hold the kernel.
    const int64_t least = std::max<int64_t>(std::max<int64_t>(extent - 2 * c.padding[i], 1), rank == 3 && !max ? k : 1);
    c.input.push_back(least + *gen::inRange<int64_t>(0, 6));
  }
  c.ceil_mode = *gen::arbitrary<bool>();
  if (!max) {
    c.count_include_pad = *gen::arbitrary<bool>();
    if (rank > 1 && *gen::weightedElement<bool>({{1, true}, {3, false}})) c.divisor_override = *gen::inRange<int64_t>(1, 10);
  }
  return c;
}

ConvCase ValidAdaptivePool(Op op, const GenOptions& opts) {
  ConvCase c = BaseCase(op, opts);
  for (int i = 0; i < SpatialRank(op); ++i) {
    c.input.push_back(*gen::inRange<int64_t>(1, 10));
    c.output_size.push_back(*gen::inRange<int64_t>(1, 6));
  }
  return c;
}

// flatten, linear, relu, ...: any small input the op accepts.
ConvCase ValidOtherLayer(Op op, const GenOptions& opts) {
  ConvCase c = BaseCase(op, opts);
  const size_t rank = op == Op::kBatchNorm1d ? 1 : static_cast<size_t>(SpatialRank(op));
  c.input = {*gen::inRange<int64_t>(1, 3), *gen::inRange<int64_t>(1, 5)};
  const size_t extra = FamilyOf(op) == OpFamily::kBatchNorm ? rank : static_cast<size_t>(*gen::inRange<int>(0, 3));
  for (size_t i = 0; i < extra; ++i) c.input.push_back(*gen::inRange<int64_t>(1, 6));
  const int64_t r = static_cast<int64_t>(c.input.size());
  if (op == Op::kFlatten) {
    c.start_dim = *gen::inRange<int64_t>(-r, r);
    const int64_t start = c.start_dim < 0 ? c.start_dim + r : c.start_dim;
    const int64_t end = *gen::inRange<int64_t>(start, r);
    c.end_dim = *gen::arbitrary<bool>() ? end : end - r;
  }
  if (op == Op::kLinear) {
    // F.linear also takes an unbatched 1-d input (one row): one case in six.
    if (*gen::weightedElement<bool>({{1, true}, {5, false}})) c.input = {c.input.back()};
    c.out_features = *gen::inRange<int64_t>(1, 9);
    if (*gen::arbitrary<bool>()) c.in_features = c.input.back();
    c.bias = *gen::arbitrary<bool>();
  }
  if (FamilyOf(op) == OpFamily::kBatchNorm && *gen::arbitrary<bool>()) c.in_features = c.input[1];
  return c;
}

ConvCase ValidLayer(Op op, const GenOptions& opts) {
  if (IsUpsampler(op)) return ValidUpsampler(BaseCase(op, opts));
  if (IsWindowPool(op)) return ValidWindowPool(op, opts);
  if (IsAdaptivePool(op)) return ValidAdaptivePool(op, opts);
  return ValidOtherLayer(op, opts);
}

// The op to draw: pools three times as often as the other layers, and the up-samplers (the
// decoder's half of a pool) as often as the other layers.
Op DrawOp(const GenOptions& opts) {
  const std::vector<Op> pools = PoolOpsIn(opts), others = OtherOpsIn(opts), ups = UpsamplerOpsIn(opts);
  if (!ups.empty() && (pools.empty() || others.empty() || *gen::inRange(0, 5) == 0)) {
    if (pools.empty() && others.empty()) return *gen::elementOf(ups);
    if (pools.empty() || others.empty() ? *gen::arbitrary<bool>() : true) return *gen::elementOf(ups);
  }
  if (others.empty()) return *gen::elementOf(pools);
  if (pools.empty()) return *gen::elementOf(others);
  return *gen::weightedOneOf<Op>({{3, gen::elementOf(pools)}, {1, gen::elementOf(others)}});
}

// One spatial dim (index into input) of a pool case.
size_t InputAt(const ConvCase& c, size_t dim) { return c.input.size() - static_cast<size_t>(SpatialRank(c.op)) + dim; }

ConvCase Edge(ConvCase c, int kind) {
  if (IsUpsampler(c.op)) return EdgeUpsampler(std::move(c), kind);
  if (!IsWindowPool(c.op)) {
    if (IsAdaptivePool(c.op)) for (int64_t& o : c.output_size) o += 7;  // more outputs than inputs
    const bool batched = IsAdaptivePool(c.op) ? c.input.size() == static_cast<size_t>(SpatialRank(c.op)) + 2
                                              : c.input.size() > 1;  // a 1-d linear input has no batch
    if (kind == 0 && batched) c.input[0] = 0;  // zero batch
    return c;
  }
  const size_t d = static_cast<size_t>(*gen::inRange<int>(0, SpatialRank(c.op)));
  const int64_t k = c.kernel[d], s = c.stride[d], dil = c.dilation[d];
  switch (kind) {
    case 0:  // zero batch
      if (c.input.size() == static_cast<size_t>(SpatialRank(c.op)) + 2) c.input[0] = 0;
      break;
    case 1:  // exactly one window
      c.padding[d] = k / 2;
      c.input[InputAt(c, d)] = std::max<int64_t>(dil * (k - 1) + 1 - 2 * c.padding[d], FamilyOf(c.op) == OpFamily::kAvgPool && SpatialRank(c.op) == 3 ? k : 1);
      break;
    case 2: {  // ceil mode, input where the ceil formula's extra window starts past input + padding
      c.ceil_mode = true;
      c.padding[d] = k / 2;
      const int64_t out = *gen::inRange<int64_t>(1, 5);
      const int64_t least = FamilyOf(c.op) == OpFamily::kAvgPool && SpatialRank(c.op) == 3 ? k : 1;  // avg_pool3d: input >= kernel
      c.input[InputAt(c, d)] = std::max<int64_t>({out * s - c.padding[d], dil * (k - 1) + 1 - 2 * c.padding[d], least});
      break;
    }
    default:  // TF SAME pooling
      c.padding_kind = PaddingKind::kSame;
      std::fill(c.padding.begin(), c.padding.end(), 0);
      c.ceil_mode = false;
      break;
  }
  return c;
}

// The issue's example: MaxPool1d(2, stride=2, padding=1, ceil_mode=True) on 5 gives 3.
ConvCase IssueExample() {
  ConvCase c;
  c.op = Op::kMaxPool1d;
  c.input = {1, 1, 5};
  c.out_channels = 0;
  c.kernel = c.stride = {2};
  c.padding = {1};
  c.dilation = {1};
  c.output_padding = {0};
  c.ceil_mode = true;
  return c;
}

std::vector<Rule> BreakableRules(const ConvCase& c) {
  if (IsUpsampler(c.op)) return BreakableUpsamplerRules(c);
  if (IsAdaptivePool(c.op)) return {Rule::kNegativeOutputSize, Rule::kEmptyInput, Rule::kInputRank};
  if (c.op == Op::kFlatten) return {Rule::kFlattenDims};
  if (c.op == Op::kLinear) return {Rule::kFeatureMismatch};
  if (FamilyOf(c.op) == OpFamily::kBatchNorm) return {Rule::kFeatureMismatch, Rule::kInputRank};
  if (!IsWindowPool(c.op)) return {};
  std::vector<Rule> rules = {Rule::kPoolPaddingTooLarge, Rule::kNegativePadding, Rule::kNonPositiveKernel,
                             Rule::kNonPositiveStride, Rule::kEmptyInput, Rule::kInputRank};
  // avg_pool3d checks the input against the kernel before the output size, so no case of it
  // reaches "output too small" alone.
  if (!(FamilyOf(c.op) == OpFamily::kAvgPool && SpatialRank(c.op) == 3)) rules.push_back(Rule::kEmptyOutput);
  if (FamilyOf(c.op) == OpFamily::kMaxPool) rules.push_back(Rule::kNonPositiveDilation);
  if (FamilyOf(c.op) == OpFamily::kAvgPool && SpatialRank(c.op) > 1) rules.push_back(Rule::kZeroDivisor);
  if (FamilyOf(c.op) == OpFamily::kAvgPool && SpatialRank(c.op) == 3) rules.push_back(Rule::kKernelExceedsInput);
  return rules;
}

ConvCase Break(ConvCase c, Rule rule, size_t d, int64_t amount) {
  if (IsUpsampler(c.op)) return BreakUpsampler(std::move(c), rule, d, amount);
  const size_t at = IsWindowPool(c.op) || IsAdaptivePool(c.op) ? InputAt(c, d) : 0;
  switch (rule) {
    case Rule::kPoolPaddingTooLarge: c.padding[d] = c.kernel[d] / 2 + amount; break;
    case Rule::kNegativePadding: c.padding[d] = -amount; break;
    case Rule::kNonPositiveKernel:  // 0 or -1: below that, pad <= kernel/2 fails first
      c.kernel[d] = amount > 1 ? -1 : 0;
      c.padding[d] = 0;
      break;
    case Rule::kNonPositiveStride: c.stride[d] = 1 - amount; break;
    case Rule::kNonPositiveDilation: c.dilation[d] = 1 - amount; break;
    case Rule::kZeroDivisor: c.divisor_override = 0; break;
    case Rule::kEmptyOutput:  // an input smaller than the padded window (above zero)
      c.kernel[d] = std::max<int64_t>(c.kernel[d], 2);
      c.padding[d] = 0;
      c.ceil_mode = false;
      c.input[at] = std::max<int64_t>(c.dilation[d] * (c.kernel[d] - 1) + 1 - amount, 1);
      break;
    case Rule::kKernelExceedsInput:
      c.kernel[d] = c.input[at] + amount;
      c.padding[d] = 0;
      break;
    case Rule::kEmptyInput: c.input[at] = 0; break;
    case Rule::kInputRank: c.input.insert(c.input.begin(), 1 + amount); c.input.insert(c.input.begin(), 1); break;
    case Rule::kNegativeOutputSize: c.output_size[d] = -amount; break;
    case Rule::kFlattenDims: c.end_dim = static_cast<int64_t>(c.input.size()) + amount; break;
    case Rule::kFeatureMismatch: c.in_features = (c.op == Op::kLinear ? c.input.back() : c.input[1]) + amount; break;
    default: break;
  }
  return c;
}

}  // namespace

std::vector<Op> LayerOpsOf(const std::vector<Op>& ops) {
  std::vector<Op> out;
  std::copy_if(ops.begin(), ops.end(), std::back_inserter(out), [](Op op) { return !IsConvOp(op); });
  return out;
}

std::vector<Op> ConvOpsOf(const std::vector<Op>& ops) {
  std::vector<Op> out;
  std::copy_if(ops.begin(), ops.end(), std::back_inserter(out), [](Op op) { return IsConvOp(op); });
  return out;
}

rc::Gen<ConvCase> ValidPoolCase(const GenOptions& opts) {
  return gen::exec([opts] { return ValidLayer(DrawOp(opts), opts); });
}

rc::Gen<ConvCase> EdgePoolCase(const GenOptions& opts) {
  return gen::exec([opts] {
    const Op op = DrawOp(opts);
    if (op == Op::kMaxPool1d && *gen::weightedElement<bool>({{1, true}, {5, false}})) return IssueExample();
    return Edge(ValidLayer(op, opts), *gen::inRange<int>(0, 4));
  });
}

rc::Gen<InvalidCase> InvalidPoolCase(const GenOptions& opts) {
  return gen::exec([opts] {
    ConvCase c = ValidLayer(DrawOp(opts), opts);
    std::vector<Rule> rules = BreakableRules(c);
    if (rules.empty()) {  // relu, dropout, ...: only the linear op's mismatch breaks anything
      c = ValidLayer(Op::kLinear, opts);
      rules = {Rule::kFeatureMismatch};
    }
    const Rule rule = *gen::elementOf(rules);
    const int rank = std::max(SpatialRank(c.op), 1);
    const size_t d = static_cast<size_t>(*gen::inRange<int>(0, rank));
    return InvalidCase{Break(c, rule, d, *gen::inRange<int64_t>(1, 4)), rule};
  });
}

rc::Gen<ConvCase> ExtremePoolCase(const GenOptions& opts) {
  return gen::exec([opts] {
    const std::vector<Op> ups = UpsamplerOpsIn(opts);
    const bool up = !ups.empty() && (PoolOpsIn(opts).empty() || *gen::inRange(0, 5) == 0);
    ConvCase c = ValidLayer(up ? *gen::elementOf(ups) : *gen::elementOf(PoolOpsIn(opts)), opts);
    const int64_t big = *gen::elementOf(std::vector<int64_t>{
        (int64_t{1} << 31) - 1, int64_t{1} << 31, int64_t{1} << 32, int64_t{1} << 62, INT64_MAX});
    if (up) return ExtremeUpsampler(c, big);
    const size_t d = static_cast<size_t>(*gen::inRange<int>(0, SpatialRank(c.op)));
    if (IsAdaptivePool(c.op)) {
      c.output_size[d] = big;
      return c;
    }
    switch (*gen::inRange<int>(0, 4)) {
      case 0: c.kernel[d] = big; break;
      case 1: c.stride[d] = big; break;
      case 2: c.padding[d] = big; c.kernel[d] = big; break;
      default: if (FamilyOf(c.op) == OpFamily::kMaxPool) c.dilation[d] = big; else c.stride[d] = big; break;
    }
    return c;
  });
}

rc::Gen<ConvCase> MixedPoolCase(const GenOptions& opts) {
  auto invalid = gen::map(InvalidPoolCase(opts), [](const InvalidCase& ic) { return ic.c; });
  return gen::weightedOneOf<ConvCase>({{14, ValidPoolCase(opts)}, {3, EdgePoolCase(opts)}, {3, invalid}});
}

}  // namespace convcheck
