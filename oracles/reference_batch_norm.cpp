#include "oracles/reference_batch_norm.h"

#include <cmath>
#include <string>

#include "oracles/layer_ops.h"
#include "oracles/layer_shape.h"

namespace convcheck {
namespace {

RefResult Fail(std::string why) { return {std::nullopt, std::move(why)}; }

bool SameShape(const DoubleTensor& t, const Dims& shape) {
  return t.shape == shape && static_cast<int64_t>(t.data.size()) == NumElements(shape);
}

std::string Check(const ConvCase& c, const DoubleTensor& x, const BatchNormParameters& p) {
  if (FamilyOf(c.op) != OpFamily::kBatchNorm) return std::string("no batch_norm reference for ") + OpName(c.op);
  const ShapeResult shape = LayerOutputShape(c);
  if (!shape.ok()) return "the case is invalid: " + shape.violation().message;
  if (!SameShape(x, c.input)) {
    return "input values of shape " + FormatDims(x.shape) + " for a case with input " + FormatDims(c.input);
  }
  const Dims per_channel = {BatchNormFeatures(c)};
  for (const auto& [t, name] : {std::pair{&p.weight, "weight"}, std::pair{&p.bias, "bias"},
                                std::pair{&p.running_mean, "running_mean"}, std::pair{&p.running_var, "running_var"}}) {
    if (!SameShape(*t, per_channel)) {
      return std::string(name) + " of shape " + FormatDims(t->shape) + ", batch_norm needs " + FormatDims(per_channel);
    }
  }
  return "";
}

// Calls f(index, channel) for every element of a valid case's input [N, C, *spatial].
template <typename F>
void ForEachElement(const ConvCase& c, F f) {
  const int64_t batch = c.input[0], channels = c.input[1];
  const int64_t plane = NumElements(Dims(c.input.begin() + 2, c.input.end()));
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t ch = 0; ch < channels; ++ch) {
      for (int64_t i = 0; i < plane; ++i) f(static_cast<size_t>((n * channels + ch) * plane + i), static_cast<size_t>(ch));
    }
  }
}

double InvStd(const BatchNormParameters& p, size_t ch) { return 1.0 / std::sqrt(p.running_var.data[ch] + kBatchNormEps); }

}  // namespace

int64_t BatchNormFeatures(const ConvCase& c) {
  if (c.in_features) return *c.in_features;
  return c.input.size() > 1 ? c.input[1] : 0;
}

RefResult ReferenceBatchNormForward(const ConvCase& c, const DoubleTensor& x, const BatchNormParameters& p) {
  if (std::string e = Check(c, x, p); !e.empty()) return Fail(e);
  DoubleTensor y = ZerosTensor(c.input);
  ForEachElement(c, [&](size_t i, size_t ch) {
    y.data[i] = (x.data[i] - p.running_mean.data[ch]) * InvStd(p, ch) * p.weight.data[ch] + p.bias.data[ch];
  });
  return {std::move(y), ""};
}

RefGradients ReferenceBatchNormGradients(const ConvCase& c, const DoubleTensor& x, const BatchNormParameters& p,
                                         const DoubleTensor& grad_out) {
  std::string e = Check(c, x, p);
  if (e.empty() && !SameShape(grad_out, c.input)) {
    e = "grad_out of shape " + FormatDims(grad_out.shape) + " for output " + FormatDims(c.input);
  }
  if (!e.empty()) return {Fail(e), Fail(e)};
  DoubleTensor gx = ZerosTensor(c.input), gw = ZerosTensor(p.weight.shape);
  ForEachElement(c, [&](size_t i, size_t ch) {
    const double invstd = InvStd(p, ch);
    gx.data[i] = grad_out.data[i] * invstd * p.weight.data[ch];
    gw.data[ch] += grad_out.data[i] * (x.data[i] - p.running_mean.data[ch]) * invstd;
  });
  return {{std::move(gx), ""}, {std::move(gw), ""}};
}

}  // namespace convcheck
