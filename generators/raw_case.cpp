#include "generators/raw_case.h"

#include <algorithm>

namespace convcheck {
namespace {

namespace gen = rc::gen;

rc::Gen<RawDim> RawDimGen() {
  return gen::build<RawDim>(
      gen::set(&RawDim::kernel, gen::inRange<int64_t>(1, 6)),
      gen::set(&RawDim::stride, gen::weightedOneOf<int64_t>({{3, gen::just<int64_t>(1)},
                                                             {2, gen::inRange<int64_t>(2, 4)}})),
      gen::set(&RawDim::dilation, gen::weightedOneOf<int64_t>({{3, gen::just<int64_t>(1)},
                                                               {1, gen::inRange<int64_t>(2, 4)}})),
      gen::set(&RawDim::padding, gen::inRange<int64_t>(0, 3)),
      gen::set(&RawDim::slack, gen::inRange<int64_t>(0, 9)),
      gen::set(&RawDim::out_pad, gen::inRange<int64_t>(0, 3)));
}

rc::Gen<EdgeKind> EdgeKindGen(bool edge) {
  if (!edge) return gen::just(EdgeKind::kNone);
  return gen::element(EdgeKind::kTightKernel, EdgeKind::kSizeOne, EdgeKind::kOutputPaddingBound,
                      EdgeKind::kDepthwise, EdgeKind::kDilated);
}

// Smallest input size for which a convolution dim with these pads is valid under `mode`.
int64_t MinConvInput(int64_t k, int64_t d, int64_t left, int64_t right, PaddingMode mode) {
  int64_t x = std::max<int64_t>(1, d * (k - 1) + 1 - left - right);
  const int64_t p = std::max(left, right);
  if (mode == PaddingMode::kReflect) x = std::max(x, p + 1);
  if (mode == PaddingMode::kCircular) x = std::max(x, p);
  return x;
}

void DeriveConvDim(const RawCase& raw, const RawDim& r, PaddingMode mode, int rank,
                   ConvCase* c, int64_t* x) {
  int64_t k = r.kernel, d = r.dilation, s = r.stride, p = r.padding;
  if (raw.edge == EdgeKind::kDilated) d = std::max<int64_t>(d, 2);
  if (rank == 3) k = std::min<int64_t>(k, 3);
  if (raw.padding_kind == 1) s = 1;                      // "same" needs stride 1
  if (raw.padding_kind != 0) p = 0;                      // "same"/"valid" carry no integers
  if (raw.edge == EdgeKind::kSizeOne) k = std::min<int64_t>(k, 1 + 2 * p / d);
  int64_t left = p, right = p;
  if (raw.padding_kind == 1) {
    left = d * (k - 1) / 2;
    right = d * (k - 1) - left;
  }
  const int64_t slack = rank == 3 ? r.slack / 3 : r.slack;
  const bool tight = raw.edge == EdgeKind::kTightKernel || raw.edge == EdgeKind::kSizeOne;
  *x = MinConvInput(k, d, left, right, mode) + (tight ? 0 : slack);
  c->kernel.push_back(k);
  c->stride.push_back(s);
  c->dilation.push_back(d);
  c->padding.push_back(p);
  c->output_padding.push_back(0);
}

void DeriveConvTransposeDim(const RawCase& raw, const RawDim& r, int rank, ConvCase* c,
                            int64_t* x) {
  int64_t k = r.kernel, d = r.dilation, s = r.stride;
  if (raw.edge == EdgeKind::kDilated) d = std::max<int64_t>(d, 2);
  if (rank == 3) k = std::min<int64_t>(k, 3);
  const int64_t bound = std::max(s, d);  // output_padding < stride or < dilation
  const int64_t op = raw.edge == EdgeKind::kOutputPaddingBound ? bound - 1 : r.out_pad % bound;
  const bool one = raw.edge == EdgeKind::kSizeOne || raw.edge == EdgeKind::kTightKernel;
  *x = 1 + (one ? 0 : (rank == 3 ? r.slack / 3 : r.slack));
  // Largest padding that keeps (x-1)s - 2p + d(k-1) + op + 1 >= 1.
  const int64_t pmax = ((*x - 1) * s + d * (k - 1) + op) / 2;
  c->kernel.push_back(k);
  c->stride.push_back(s);
  c->dilation.push_back(d);
  c->padding.push_back(std::min(r.padding, pmax));
  c->output_padding.push_back(op);
}

}  // namespace

rc::Gen<RawCase> RawCaseGen(const GenOptions& opts, bool edge) {
  return gen::build<RawCase>(
      gen::set(&RawCase::op_index, gen::inRange<int>(0, static_cast<int>(opts.ops.size()))),
      gen::set(&RawCase::dtype_index, gen::inRange<int>(0, static_cast<int>(opts.dtypes.size()))),
      gen::set(&RawCase::batch, gen::inRange<int64_t>(1, 3)),
      gen::set(&RawCase::unbatched, gen::weightedOneOf<bool>({{9, gen::just(false)},
                                                              {1, gen::just(true)}})),
      gen::set(&RawCase::groups, gen::weightedOneOf<int64_t>({{3, gen::just<int64_t>(1)},
                                                              {1, gen::inRange<int64_t>(2, 5)}})),
      gen::set(&RawCase::in_per_group, gen::inRange<int64_t>(1, 4)),
      gen::set(&RawCase::out_per_group, gen::inRange<int64_t>(1, 4)),
      gen::set(&RawCase::padding_kind, gen::weightedOneOf<int>({{6, gen::just(0)},
                                                               {1, gen::inRange(1, 3)}})),
      gen::set(&RawCase::mode_index, gen::weightedOneOf<int>({{5, gen::just(0)},
                                                             {1, gen::inRange(1, 4)}})),
      gen::set(&RawCase::bias, gen::arbitrary<bool>()),
      gen::set(&RawCase::channels_last, gen::arbitrary<bool>()),
      gen::set(&RawCase::edge, EdgeKindGen(edge)),
      gen::set(&RawCase::dims,
               gen::map(gen::tuple(RawDimGen(), RawDimGen(), RawDimGen()),
                        [](const std::tuple<RawDim, RawDim, RawDim>& t) {
                          return std::array<RawDim, 3>{std::get<0>(t), std::get<1>(t),
                                                       std::get<2>(t)};
                        })));
}

ConvCase DeriveValidCase(const RawCase& raw, const GenOptions& opts) {
  const Op op = opts.ops[static_cast<size_t>(raw.op_index)];
  const int rank = SpatialRank(op);
  const bool transposed = IsTransposed(op);
  ConvCase c = DefaultCase(op, {}, 1);
  c.kernel.clear(); c.stride.clear(); c.padding.clear(); c.output_padding.clear();
  c.dilation.clear();
  c.dtype = opts.dtypes[static_cast<size_t>(raw.dtype_index)];
  c.device = opts.device;
  c.bias = raw.bias;
  c.padding_kind = transposed ? PaddingKind::kExplicit : static_cast<PaddingKind>(raw.padding_kind);
  const bool modes = opts.padding_modes && !transposed;
  c.padding_mode = modes ? static_cast<PaddingMode>(raw.mode_index) : PaddingMode::kZeros;
  c.groups = raw.groups;
  const int64_t in = raw.groups * (raw.edge == EdgeKind::kDepthwise ? 1 : raw.in_per_group);
  c.out_channels = raw.groups * raw.out_per_group;
  Dims spatial;
  for (int i = 0; i < rank; ++i) {
    int64_t x = 0;
    const RawDim& r = raw.dims[static_cast<size_t>(i)];
    if (transposed) DeriveConvTransposeDim(raw, r, rank, &c, &x);
    else DeriveConvDim(raw, r, c.padding_mode, rank, &c, &x);
    spatial.push_back(x);
  }
  if (c.padding_kind != PaddingKind::kExplicit) c.padding.assign(static_cast<size_t>(rank), 0);
  const bool unbatched = raw.unbatched && !(opts.layouts && raw.channels_last);
  if (!unbatched) c.input.push_back(raw.batch);
  c.input.push_back(in);
  c.input.insert(c.input.end(), spatial.begin(), spatial.end());
  if (opts.layouts && raw.channels_last && rank >= 2 && !unbatched) c.layout = Layout::kChannelsLast;
  return c;
}

}  // namespace convcheck
