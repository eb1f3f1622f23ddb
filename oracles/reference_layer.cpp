#include "oracles/reference_layer.h"

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

// The output shape of a valid layer case whose input values have the case's shape, or why not.
std::string Check(const ConvCase& c, const DoubleTensor& x, Dims* output_shape) {
  if (!HasLayerReference(c.op)) return std::string("no float64 layer reference for ") + OpName(c.op);
  const ShapeResult shape = LayerOutputShape(c);
  if (!shape.ok()) return "the case is invalid: " + shape.violation().message;
  if (!SameShape(x, c.input)) {
    return "input values of shape " + FormatDims(x.shape) + " for a case with input " + FormatDims(c.input);
  }
  *output_shape = shape.shape();
  return "";
}

// The rows a linear layer maps one by one: the product of the input's leading dims (1 for a
// 1-d input).
int64_t LinearRows(const ConvCase& c) {
  return NumElements(Dims(c.input.begin(), c.input.end() - (c.input.empty() ? 0 : 1)));
}

// `bias` nullptr: not read (the gradients need the weight alone).
std::string CheckLinearParameters(const ConvCase& c, const DoubleTensor& w, const DoubleTensor* bias) {
  if (!SameShape(w, LinearWeightShape(c))) {
    return "weight of shape " + FormatDims(w.shape) + ", linear needs " + FormatDims(LinearWeightShape(c));
  }
  if (c.bias && bias && !SameShape(*bias, {c.out_features})) {
    return "bias of shape " + FormatDims(bias->shape) + ", linear needs [" + std::to_string(c.out_features) + "]";
  }
  return "";
}

// y[r, o] = Σ_i x[r, i] w[o, i] + b[o].
DoubleTensor LinearForward(const ConvCase& c, const DoubleTensor& x, const DoubleTensor& w,
                           const DoubleTensor& bias, const Dims& output_shape) {
  const int64_t rows = LinearRows(c), in = LinearInFeatures(c), out = c.out_features;
  DoubleTensor y = ZerosTensor(output_shape);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t o = 0; o < out; ++o) {
      double sum = c.bias ? bias.data[static_cast<size_t>(o)] : 0.0;
      for (int64_t i = 0; i < in; ++i) sum += x.data[static_cast<size_t>(r * in + i)] * w.data[static_cast<size_t>(o * in + i)];
      y.data[static_cast<size_t>(r * out + o)] = sum;
    }
  }
  return y;
}

// dx[r, i] = Σ_o g[r, o] w[o, i] and dw[o, i] = Σ_r g[r, o] x[r, i].
RefGradients LinearGradients(const ConvCase& c, const DoubleTensor& x, const DoubleTensor& w, const DoubleTensor& g) {
  const int64_t rows = LinearRows(c), in = LinearInFeatures(c), out = c.out_features;
  DoubleTensor gx = ZerosTensor(c.input), gw = ZerosTensor(LinearWeightShape(c));
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t o = 0; o < out; ++o) {
      const double go = g.data[static_cast<size_t>(r * out + o)];
      for (int64_t i = 0; i < in; ++i) {
        gx.data[static_cast<size_t>(r * in + i)] += go * w.data[static_cast<size_t>(o * in + i)];
        gw.data[static_cast<size_t>(o * in + i)] += go * x.data[static_cast<size_t>(r * in + i)];
      }
    }
  }
  return {{std::move(gx), ""}, {std::move(gw), ""}};
}

double Sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

double Elementwise(Op op, double v) {
  switch (op) {
    case Op::kRelu: return v > 0 ? v : 0.0;
    case Op::kTanh: return std::tanh(v);
    case Op::kSigmoid: return Sigmoid(v);
    default: return v;  // flatten, dropout in eval mode
  }
}

// d op / dv at v, from the output y as PyTorch's backward formulas take it.
double ElementwiseSlope(Op op, double v) {
  switch (op) {
    case Op::kRelu: return v > 0 ? 1.0 : 0.0;
    case Op::kTanh: {
      const double y = std::tanh(v);
      return 1.0 - y * y;
    }
    case Op::kSigmoid: {
      const double y = Sigmoid(v);
      return y * (1.0 - y);
    }
    default: return 1.0;
  }
}

}  // namespace

bool HasLayerReference(Op op) {
  switch (FamilyOf(op)) {
    case OpFamily::kLinear:
    case OpFamily::kFlatten:
    case OpFamily::kElementwise: return true;
    default: return false;
  }
}

int64_t LinearInFeatures(const ConvCase& c) {
  if (c.in_features) return *c.in_features;
  return c.input.empty() ? 0 : c.input.back();
}

Dims LinearWeightShape(const ConvCase& c) {
  if (c.op != Op::kLinear) return {};
  return {c.out_features, LinearInFeatures(c)};
}

RefResult ReferenceLayerForward(const ConvCase& c, const DoubleTensor& x, const DoubleTensor& w,
                                const DoubleTensor& bias) {
  Dims output_shape;
  if (std::string e = Check(c, x, &output_shape); !e.empty()) return Fail(e);
  if (c.op == Op::kLinear) {
    if (std::string e = CheckLinearParameters(c, w, &bias); !e.empty()) return Fail(e);
    return {LinearForward(c, x, w, bias, output_shape), ""};
  }
  DoubleTensor y{output_shape, x.data};
  for (double& v : y.data) v = Elementwise(c.op, v);
  return {std::move(y), ""};
}

RefGradients ReferenceLayerGradients(const ConvCase& c, const DoubleTensor& x, const DoubleTensor& w,
                                     const DoubleTensor& grad_out) {
  Dims output_shape;
  std::string e = Check(c, x, &output_shape);
  if (e.empty() && !SameShape(grad_out, output_shape)) {
    e = "grad_out of shape " + FormatDims(grad_out.shape) + " for output " + FormatDims(output_shape);
  }
  if (e.empty() && c.op == Op::kLinear) e = CheckLinearParameters(c, w, nullptr);
  if (!e.empty()) return {Fail(e), Fail(e)};
  if (c.op == Op::kLinear) return LinearGradients(c, x, w, grad_out);
  DoubleTensor gx{c.input, grad_out.data};
  for (size_t i = 0; i < gx.data.size(); ++i) gx.data[i] *= ElementwiseSlope(c.op, x.data[i]);
  return {{std::move(gx), ""}, {DoubleTensor{{0}, {}}, ""}};
}

}  // namespace convcheck
