#include "oracles/reference_conv.h"

#include <algorithm>

#include "oracles/layer_ops.h"

namespace convcheck {
namespace {

Dims Spatial(const Dims& shape) { return Dims(shape.begin() + 2, shape.end()); }

// Row-major multi-index of `flat` within `sizes`.
Dims Unflatten(int64_t flat, const Dims& sizes) {
  Dims index(sizes.size());
  for (size_t i = sizes.size(); i-- > 0;) {
    index[i] = flat % sizes[i];
    flat /= sizes[i];
  }
  return index;
}

// Every conv, transposed conv and gradient below is one relation between a "wide" tensor (the
// explicitly padded conv input) and a "narrow" one (the conv output): wide position
// = narrow position * stride + kernel offset * dilation, channels tied through the groups, the
// weight laid out [narrow channels, wide channels / groups, *k]. PyTorch's transposed weight
// [C_in, C_out/groups, *k] is exactly that layout with C_in on the narrow side, which is why a
// transposed convolution is this relation read backwards.
struct Taps {
  int64_t batch = 0, wide_channels = 0, narrow_channels = 0, groups = 1;
  int64_t wide_plane = 0, narrow_plane = 0, kernel_volume = 0;
  // wide_of[o * kernel_volume + k]: wide spatial offset of narrow position o, kernel offset k
  // (-1 when it falls outside the wide tensor).
  std::vector<int64_t> wide_of;
};

std::optional<std::string> MakeTaps(const Dims& wide, const Dims& narrow, const Dims& w,
                                    const ConvParams& p, Taps* t) {
  const size_t rank = wide.size() < 2 ? 0 : wide.size() - 2;
  if (wide.size() < 3 || narrow.size() != wide.size() || w.size() != wide.size() ||
      p.stride.size() != rank || p.dilation.size() != rank) {
    return "ranks disagree: wide " + FormatDims(wide) + ", narrow " + FormatDims(narrow) +
           ", weight " + FormatDims(w);
  }
  if (p.groups <= 0 || wide[0] != narrow[0] || w[0] != narrow[1] ||
      w[1] * p.groups != wide[1] || narrow[1] % p.groups != 0) {
    return "channels disagree with groups " + std::to_string(p.groups) + ": wide " +
           FormatDims(wide) + ", narrow " + FormatDims(narrow) + ", weight " + FormatDims(w);
  }
  const Dims ws = Spatial(wide), ns = Spatial(narrow), ks = Spatial(w);
  *t = Taps{wide[0], wide[1], narrow[1], p.groups, NumElements(ws), NumElements(ns),
            NumElements(ks), {}};
  t->wide_of.assign(static_cast<size_t>(t->narrow_plane * t->kernel_volume), -1);
  for (int64_t o = 0; o < t->narrow_plane; ++o) {
    const Dims oi = Unflatten(o, ns);
    for (int64_t k = 0; k < t->kernel_volume; ++k) {
      const Dims ki = Unflatten(k, ks);
      int64_t offset = 0;
      bool inside = true;
      for (size_t d = 0; d < rank; ++d) {
        const int64_t pos = oi[d] * p.stride[d] + ki[d] * p.dilation[d];
        inside = inside && pos >= 0 && pos < ws[d];
        offset = offset * ws[d] + pos;
      }
      if (inside) t->wide_of[static_cast<size_t>(o * t->kernel_volume + k)] = offset;
    }
  }
  return std::nullopt;
}

// Calls f(wide index, narrow index, weight index) once per multiply-add, in a fixed order.
template <typename F>
void ForEachTap(const Taps& t, F f) {
  const int64_t wide_per_group = t.wide_channels / t.groups;
  const int64_t narrow_per_group = t.narrow_channels / t.groups;
  for (int64_t n = 0; n < t.batch; ++n) {
    for (int64_t nc = 0; nc < t.narrow_channels; ++nc) {
      const int64_t group = nc / narrow_per_group;
      for (int64_t j = 0; j < wide_per_group; ++j) {
        const int64_t wc = group * wide_per_group + j;
        const int64_t wide_base = (n * t.wide_channels + wc) * t.wide_plane;
        const int64_t narrow_base = (n * t.narrow_channels + nc) * t.narrow_plane;
        const int64_t weight_base = (nc * wide_per_group + j) * t.kernel_volume;
        for (int64_t o = 0; o < t.narrow_plane; ++o) {
          for (int64_t k = 0; k < t.kernel_volume; ++k) {
            const int64_t wi = t.wide_of[static_cast<size_t>(o * t.kernel_volume + k)];
            if (wi >= 0) f(wide_base + wi, narrow_base + o, weight_base + k);
          }
        }
      }
    }
  }
}

// Where padded index j of a dim of size n with `left` pads reads from (-1: a zero).
int64_t PadSource(int64_t j, int64_t left, int64_t n, PaddingMode mode) {
  int64_t i = j - left;
  if (i >= 0 && i < n) return i;
  if (n <= 0) return -1;
  switch (mode) {
    case PaddingMode::kZeros: return -1;
    case PaddingMode::kReplicate: return std::clamp<int64_t>(i, 0, n - 1);
    case PaddingMode::kCircular: return ((i % n) + n) % n;
    case PaddingMode::kReflect:
      if (n == 1) return 0;
      while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
      return i;
  }
  return -1;
}

// For each padded spatial offset, the unpadded spatial offset it copies (-1: a zero).
std::vector<int64_t> PadMap(const Dims& small, const Dims& big, const std::vector<PadPair>& pads,
                            PaddingMode mode) {
  std::vector<int64_t> map(static_cast<size_t>(NumElements(big)));
  for (int64_t j = 0; j < static_cast<int64_t>(map.size()); ++j) {
    const Dims ji = Unflatten(j, big);
    int64_t offset = 0;
    for (size_t d = 0; d < big.size() && offset >= 0; ++d) {
      const int64_t i = PadSource(ji[d], pads[d].left, small[d], mode);
      offset = i < 0 ? -1 : offset * small[d] + i;
    }
    map[static_cast<size_t>(j)] = offset;
  }
  return map;
}

Dims PaddedShape(const Dims& shape, const std::vector<PadPair>& pads) {
  Dims out = shape;
  for (size_t d = 0; d + 2 < out.size() && d < pads.size(); ++d) {
    out[d + 2] += pads[d].left + pads[d].right;
  }
  return out;
}

void AddBias(const DoubleTensor* bias, DoubleTensor* y) {
  if (!bias || y->shape.size() < 2) return;
  const int64_t channels = y->shape[1], plane = NumElements(Spatial(y->shape));
  for (int64_t i = 0; i < static_cast<int64_t>(y->data.size()); ++i) {
    y->data[static_cast<size_t>(i)] += bias->data[static_cast<size_t>((i / plane) % channels)];
  }
}

bool BiasFits(const DoubleTensor* bias, int64_t channels) {
  return !bias || (bias->shape == Dims{channels} &&
                   static_cast<int64_t>(bias->data.size()) == channels);
}

RefResult Fail(std::string why) { return {std::nullopt, std::move(why)}; }

// Spatial sizes of the conv output over an already padded input; empty when a dim is too small.
std::optional<Dims> NarrowSize(const Dims& wide, const Dims& w, const ConvParams& p) {
  Dims out = {wide[0], w[0]};
  for (size_t d = 0; d + 2 < wide.size(); ++d) {
    const int64_t extent = p.dilation[d] * (w[d + 2] - 1) + 1;
    if (p.stride[d] <= 0 || wide[d + 2] < extent) return std::nullopt;
    out.push_back((wide[d + 2] - extent) / p.stride[d] + 1);
  }
  return out;
}

// Spatial sizes of the un-cropped transposed output: what the narrow side touches, plus
// output_padding (the crop by `pads` comes after).
Dims FullTransposeSize(const Dims& x, const Dims& w, const ConvParams& p) {
  Dims out = {x[0], w[1] * p.groups};
  for (size_t d = 0; d + 2 < x.size(); ++d) {
    out.push_back((x[d + 2] - 1) * p.stride[d] + p.dilation[d] * (w[d + 2] - 1) + 1 +
                  p.output_padding[d]);
  }
  return out;
}

bool ParamsFit(const DoubleTensor& x, const DoubleTensor& w, const ConvParams& p) {
  const size_t rank = x.shape.size() < 3 ? 0 : x.shape.size() - 2;
  return rank > 0 && w.shape.size() == x.shape.size() && p.stride.size() == rank &&
         p.dilation.size() == rank && p.pads.size() == rank && p.output_padding.size() == rank &&
         NumElements(x.shape) == static_cast<int64_t>(x.data.size()) &&
         NumElements(w.shape) == static_cast<int64_t>(w.data.size());
}

DoubleTensor Unbatch(DoubleTensor t) {
  if (!t.shape.empty()) t.shape.erase(t.shape.begin());
  return t;
}

DoubleTensor Batch(DoubleTensor t) {
  t.shape.insert(t.shape.begin(), 1);
  return t;
}

RefResult MapValue(RefResult r, DoubleTensor (*f)(DoubleTensor)) {
  if (r.value) r.value = f(std::move(*r.value));
  return r;
}

}  // namespace

int64_t NumElements(const Dims& shape) {
  int64_t n = 1;
  for (int64_t s : shape) n *= std::max<int64_t>(s, 0);
  return n;
}

DoubleTensor ZerosTensor(const Dims& shape) {
  return {shape, std::vector<double>(static_cast<size_t>(NumElements(shape)), 0.0)};
}

ConvParams ParamsOf(const ConvCase& c) {
  ConvParams p;
  p.stride = c.stride;
  p.dilation = c.dilation;
  p.pads = EffectivePadding(c);
  p.output_padding = IsTransposed(c.op) ? c.output_padding : Dims(c.stride.size(), 0);
  if (p.output_padding.size() != c.stride.size()) p.output_padding.assign(c.stride.size(), 0);
  p.groups = c.groups;
  p.padding_mode = c.padding_mode;
  return p;
}

DoubleTensor PadSpatial(const DoubleTensor& x, const std::vector<PadPair>& pads,
                        PaddingMode mode) {
  DoubleTensor out = ZerosTensor(PaddedShape(x.shape, pads));
  const Dims small = Spatial(x.shape), big = Spatial(out.shape);
  const std::vector<int64_t> map = PadMap(small, big, pads, mode);
  const int64_t planes = x.shape[0] * x.shape[1];
  const int64_t small_plane = NumElements(small), big_plane = NumElements(big);
  for (int64_t pl = 0; pl < planes; ++pl) {
    for (int64_t j = 0; j < big_plane; ++j) {
      const int64_t i = map[static_cast<size_t>(j)];
      if (i >= 0) out.data[static_cast<size_t>(pl * big_plane + j)] = x.data[static_cast<size_t>(pl * small_plane + i)];
    }
  }
  return out;
}

DoubleTensor PadSpatialAdjoint(const DoubleTensor& padded, const Dims& unpadded_shape,
                               const std::vector<PadPair>& pads, PaddingMode mode) {
  DoubleTensor out = ZerosTensor(unpadded_shape);
  const Dims small = Spatial(unpadded_shape), big = Spatial(padded.shape);
  const std::vector<int64_t> map = PadMap(small, big, pads, mode);
  const int64_t planes = unpadded_shape[0] * unpadded_shape[1];
  const int64_t small_plane = NumElements(small), big_plane = NumElements(big);
  for (int64_t pl = 0; pl < planes; ++pl) {
    for (int64_t j = 0; j < big_plane; ++j) {
      const int64_t i = map[static_cast<size_t>(j)];
      if (i >= 0) out.data[static_cast<size_t>(pl * small_plane + i)] += padded.data[static_cast<size_t>(pl * big_plane + j)];
    }
  }
  return out;
}

RefResult ReferenceConv(const DoubleTensor& x, const DoubleTensor& w, const DoubleTensor* bias,
                        const ConvParams& p) {
  if (!ParamsFit(x, w, p)) return Fail("tensor ranks or sizes do not fit the parameters");
  const DoubleTensor wide = PadSpatial(x, p.pads, p.padding_mode);
  const std::optional<Dims> narrow_shape = NarrowSize(wide.shape, w.shape, p);
  if (!narrow_shape) return Fail("kernel extent exceeds padded input " + FormatDims(wide.shape));
  if (!BiasFits(bias, w.shape[0])) return Fail("bias does not have C_out entries");
  DoubleTensor y = ZerosTensor(*narrow_shape);
  Taps t;
  if (auto e = MakeTaps(wide.shape, y.shape, w.shape, p, &t)) return Fail(*e);
  ForEachTap(t, [&](int64_t wi, int64_t ni, int64_t ki) {
    y.data[static_cast<size_t>(ni)] += wide.data[static_cast<size_t>(wi)] * w.data[static_cast<size_t>(ki)];
  });
  AddBias(bias, &y);
  return {std::move(y), ""};
}

RefResult ReferenceConvTranspose(const DoubleTensor& x, const DoubleTensor& w,
                                 const DoubleTensor* bias, const ConvParams& p) {
  if (!ParamsFit(x, w, p)) return Fail("tensor ranks or sizes do not fit the parameters");
  if (p.padding_mode != PaddingMode::kZeros) return Fail("transposed conv needs padding_mode zeros");
  if (p.groups <= 0) return Fail("groups must be positive");
  DoubleTensor full = ZerosTensor(FullTransposeSize(x.shape, w.shape, p));
  Dims out_shape = full.shape;
  for (size_t d = 0; d + 2 < out_shape.size(); ++d) {
    out_shape[d + 2] -= p.pads[d].left + p.pads[d].right;
    if (out_shape[d + 2] <= 0) return Fail("transposed output is empty in dim " + std::to_string(d));
  }
  if (!BiasFits(bias, out_shape[1])) return Fail("bias does not have C_out entries");
  Taps t;
  if (auto e = MakeTaps(full.shape, x.shape, w.shape, p, &t)) return Fail(*e);
  ForEachTap(t, [&](int64_t wi, int64_t ni, int64_t ki) {
    full.data[static_cast<size_t>(wi)] += x.data[static_cast<size_t>(ni)] * w.data[static_cast<size_t>(ki)];
  });
  // Cropping the pads is the adjoint of zero padding them.
  DoubleTensor y = PadSpatialAdjoint(full, out_shape, p.pads, PaddingMode::kZeros);
  AddBias(bias, &y);
  return {std::move(y), ""};
}

RefResult ReferenceInputGrad(const ConvParams& p, bool transposed, const DoubleTensor& grad_out,
                             const DoubleTensor& w, const Dims& input_shape) {
  const DoubleTensor shape_only = ZerosTensor(input_shape);
  if (!ParamsFit(shape_only, w, p)) return Fail("tensor ranks or sizes do not fit the parameters");
  Taps t;
  if (transposed) {  // d/dx of crop(scatter(x)): gather from the zero-padded upstream gradient
    const DoubleTensor wide = PadSpatial(grad_out, p.pads, PaddingMode::kZeros);
    DoubleTensor gx = ZerosTensor(input_shape);
    if (auto e = MakeTaps(wide.shape, gx.shape, w.shape, p, &t)) return Fail(*e);
    ForEachTap(t, [&](int64_t wi, int64_t ni, int64_t ki) {
      gx.data[static_cast<size_t>(ni)] += wide.data[static_cast<size_t>(wi)] * w.data[static_cast<size_t>(ki)];
    });
    return {std::move(gx), ""};
  }
  // d/dx of gather(pad(x)): scatter onto the padded input, then fold the pads back.
  DoubleTensor wide = ZerosTensor(PaddedShape(input_shape, p.pads));
  if (auto e = MakeTaps(wide.shape, grad_out.shape, w.shape, p, &t)) return Fail(*e);
  ForEachTap(t, [&](int64_t wi, int64_t ni, int64_t ki) {
    wide.data[static_cast<size_t>(wi)] += grad_out.data[static_cast<size_t>(ni)] * w.data[static_cast<size_t>(ki)];
  });
  return {PadSpatialAdjoint(wide, input_shape, p.pads, p.padding_mode), ""};
}

RefResult ReferenceWeightGrad(const ConvParams& p, bool transposed, const DoubleTensor& x,
                              const DoubleTensor& grad_out, const Dims& weight_shape) {
  DoubleTensor gw = ZerosTensor(weight_shape);
  if (!ParamsFit(x, gw, p)) return Fail("tensor ranks or sizes do not fit the parameters");
  // Conv: wide = padded input, narrow = upstream gradient. Transposed: the roles swap.
  const DoubleTensor wide = transposed ? PadSpatial(grad_out, p.pads, PaddingMode::kZeros)
                                       : PadSpatial(x, p.pads, p.padding_mode);
  const DoubleTensor& narrow = transposed ? x : grad_out;
  Taps t;
  if (auto e = MakeTaps(wide.shape, narrow.shape, weight_shape, p, &t)) return Fail(*e);
  ForEachTap(t, [&](int64_t wi, int64_t ni, int64_t ki) {
    gw.data[static_cast<size_t>(ki)] += wide.data[static_cast<size_t>(wi)] * narrow.data[static_cast<size_t>(ni)];
  });
  return {std::move(gw), ""};
}

RefResult ReferenceConvCaseForward(const ConvCase& c, const DoubleTensor& x, const DoubleTensor& w,
                                   const DoubleTensor& bias) {
  if (!IsConvOp(c.op)) return {std::nullopt, std::string("not a convolution: ") + OpName(c.op)};
  const bool batched = IsBatched(c);
  const DoubleTensor xb = batched ? x : Batch(x);
  const ConvParams p = ParamsOf(c);
  const DoubleTensor* b = c.bias ? &bias : nullptr;
  RefResult r = IsTransposed(c.op) ? ReferenceConvTranspose(xb, w, b, p) : ReferenceConv(xb, w, b, p);
  return batched ? r : MapValue(std::move(r), Unbatch);
}

RefGradients ReferenceConvCaseGradients(const ConvCase& c, const DoubleTensor& x, const DoubleTensor& w,
                                        const DoubleTensor& grad_out) {
  if (!IsConvOp(c.op)) {
    const RefResult no{std::nullopt, std::string("not a convolution: ") + OpName(c.op)};
    return {no, no};
  }
  const bool batched = IsBatched(c);
  const DoubleTensor xb = batched ? x : Batch(x);
  const DoubleTensor gb = batched ? grad_out : Batch(grad_out);
  const ConvParams p = ParamsOf(c);
  const bool transposed = IsTransposed(c.op);
  RefGradients g{ReferenceInputGrad(p, transposed, gb, w, xb.shape),
                 ReferenceWeightGrad(p, transposed, xb, gb, w.shape)};
  if (!batched) g.input = MapValue(std::move(g.input), Unbatch);
  return g;
}

double InnerProduct(const DoubleTensor& a, const DoubleTensor& b) {
  double sum = 0;
  const size_t n = std::min(a.data.size(), b.data.size());
  for (size_t i = 0; i < n; ++i) sum += a.data[i] * b.data[i];
  return sum;
}

}  // namespace convcheck
