// Evaluates pooling recipes on small 2-d grids, for the pool-convention tests: the other
// framework's pooling as its operator defines it, and the PyTorch recipe as PyTorch's CPU kernels
// compute it (aten/src/ATen/native/cpu/MaxPoolKernel.cpp: taps from oh·s − p, skipping those
// before 0 by the dilation, up to the input's end; AvgPoolKernel.cpp: window [oh·s − p,
// min(oh·s − p + k, x + p)), pool_size taken before clipping to [0, x), divisor = pool_size with
// count_include_pad, else the clipped count; an empty clipped window gives 0). A 1-d case is a
// grid of height 1 with a 1-wide window.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "oracles/pool_conventions.h"

namespace convcheck::testing {

struct Grid {
  int64_t h = 0, w = 0;
  std::vector<double> v;
  double At(int64_t i, int64_t j) const { return v[static_cast<size_t>(i * w + j)]; }
};

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

inline Grid Pad(const Grid& x, const PadPair& ph, const PadPair& pw, double value) {
  Grid g{x.h + ph.left + ph.right, x.w + pw.left + pw.right, {}};
  g.v.assign(static_cast<size_t>(g.h * g.w), value);
  for (int64_t i = 0; i < x.h; ++i) {
    for (int64_t j = 0; j < x.w; ++j) g.v[static_cast<size_t>((i + ph.left) * g.w + j + pw.left)] = x.At(i, j);
  }
  return g;
}

// PyTorch's max_pool2d / avg_pool2d on `x` with the recipe's padding and ceil_mode.
inline Grid TorchPool(const Grid& x, const PoolConversion& c, const ForeignPool& p, const std::vector<ForeignDim>& d) {
  Grid y{c.dims[0].torch_output, c.dims[1].torch_output, {}};
  const int64_t ph = c.dims[0].padding, pw = c.dims[1].padding;
  for (int64_t oh = 0; oh < y.h; ++oh) {
    for (int64_t ow = 0; ow < y.w; ++ow) {
      int64_t h0 = oh * d[0].stride - ph, w0 = ow * d[1].stride - pw;
      if (p.kind == PoolKind::kMax) {
        const int64_t h1 = std::min(h0 + (d[0].kernel - 1) * d[0].dilation + 1, x.h);
        const int64_t w1 = std::min(w0 + (d[1].kernel - 1) * d[1].dilation + 1, x.w);
        while (h0 < 0) h0 += d[0].dilation;
        while (w0 < 0) w0 += d[1].dilation;
        double m = kNegInf;
        for (int64_t i = h0; i < h1; i += d[0].dilation) {
          for (int64_t j = w0; j < w1; j += d[1].dilation) m = std::max(m, x.At(i, j));
        }
        y.v.push_back(m);
        continue;
      }
      int64_t h1 = std::min(h0 + d[0].kernel, x.h + ph), w1 = std::min(w0 + d[1].kernel, x.w + pw);
      const int64_t pool_size = (h1 - h0) * (w1 - w0);
      h0 = std::max<int64_t>(h0, 0), w0 = std::max<int64_t>(w0, 0);
      h1 = std::min(h1, x.h), w1 = std::min(w1, x.w);
      if (h0 >= h1 || w0 >= w1) {
        y.v.push_back(0);
        continue;
      }
      double sum = 0;
      for (int64_t i = h0; i < h1; ++i) {
        for (int64_t j = w0; j < w1; ++j) sum += x.At(i, j);
      }
      y.v.push_back(sum / static_cast<double>(c.count_include_pad ? pool_size : (h1 - h0) * (w1 - w0)));
    }
  }
  return y;
}

inline Grid Crop(const Grid& y, int64_t h, int64_t w) {
  Grid g{h, w, {}};
  for (int64_t i = 0; i < h; ++i) {
    for (int64_t j = 0; j < w; ++j) g.v.push_back(y.At(i, j));
  }
  return g;
}

// The recipe: F.pad (−inf for max, zeros otherwise), the pool, the mask ratio, the crop.
inline Grid RunRecipe(const PoolConversion& c, const ForeignPool& p, const std::vector<ForeignDim>& d, const Grid& x) {
  const double pad_value = p.kind == PoolKind::kMax ? kNegInf : 0.0;
  const Grid padded = Pad(x, c.dims[0].pre_pad, c.dims[1].pre_pad, pad_value);
  Grid y = TorchPool(padded, c, p, d);
  if (c.style == PoolRecipeStyle::kMaskedAverage) {
    Grid ones{x.h, x.w, std::vector<double>(x.v.size(), 1.0)};
    const Grid count = TorchPool(Pad(ones, c.dims[0].pre_pad, c.dims[1].pre_pad, 0.0), c, p, d);
    for (size_t i = 0; i < y.v.size(); ++i) y.v[i] /= count.v[i];
  }
  return Crop(y, c.dims[0].expected, c.dims[1].expected);
}

// The other framework's pool as its operator text defines it: windows from i·s − pad_begin, k
// taps d apart; max over the real elements, an average over them (or over the whole window,
// pads as zeros, for ONNX count_include_pad=1). `real` counts the real elements per output.
inline Grid ForeignPoolValues(const PoolConversion& c, const ForeignPool& p, const std::vector<ForeignDim>& d, const Grid& x,
                              std::vector<int64_t>* real) {
  Grid y{c.dims[0].expected, c.dims[1].expected, {}};
  for (int64_t oh = 0; oh < y.h; ++oh) {
    for (int64_t ow = 0; ow < y.w; ++ow) {
      double m = kNegInf, sum = 0;
      int64_t n = 0;
      for (int64_t a = 0; a < d[0].kernel; ++a) {
        for (int64_t b = 0; b < d[1].kernel; ++b) {
          const int64_t i = oh * d[0].stride - c.dims[0].pads.left + a * d[0].dilation;
          const int64_t j = ow * d[1].stride - c.dims[1].pads.left + b * d[1].dilation;
          if (i < 0 || i >= x.h || j < 0 || j >= x.w) continue;
          m = std::max(m, x.At(i, j));
          sum += x.At(i, j);
          ++n;
        }
      }
      real->push_back(n);
      if (p.kind == PoolKind::kMax) {
        y.v.push_back(m);
      } else {
        y.v.push_back(p.count_include_pad ? sum / static_cast<double>(d[0].kernel * d[1].kernel) : sum / static_cast<double>(n));
      }
    }
  }
  return y;
}

}  // namespace convcheck::testing
