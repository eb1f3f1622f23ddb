#include "case_io/layer_case_json.h"

#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "case_io/json_fields.h"
#include "oracles/layer_ops.h"

namespace convcheck {
namespace {

using nlohmann::json;
using namespace json_fields;

// The keys each family takes besides op, input, dtype, device, layout and seed.
std::set<std::string> FamilyKeys(Op op) {
  switch (FamilyOf(op)) {
    case OpFamily::kMaxPool: return {"kernel", "stride", "padding", "dilation", "ceil_mode"};
    case OpFamily::kAvgPool:
      if (SpatialRank(op) == 1) return {"kernel", "stride", "padding", "ceil_mode", "count_include_pad"};
      return {"kernel", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"};
    case OpFamily::kAdaptiveAvgPool:
    case OpFamily::kAdaptiveMaxPool: return {"output_size"};
    case OpFamily::kFlatten: return {"start_dim", "end_dim"};
    case OpFamily::kLinear: return {"out_features", "in_features", "bias"};
    case OpFamily::kBatchNorm: return {"num_features"};
    case OpFamily::kMaxUnpool: return {"kernel", "stride", "padding", "output_size"};
    case OpFamily::kUpsample: return {"size", "scale_factor", "mode", "align_corners"};
    case OpFamily::kElementwise:
    case OpFamily::kConv: return {};
  }
  return {};
}

void ReadPoolPadding(const json& v, size_t rank, ConvCase* c) {
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s != "same" && s != "valid") Fail("padding", "expected an integer, a list, \"same\" (TF SAME) or \"valid\", got \"" + s + "\"");
    c->padding_kind = s == "same" ? PaddingKind::kSame : PaddingKind::kValid;
    c->padding = Dims(rank, 0);
    return;
  }
  c->padding = ReadPerDim(v, "padding", rank, /*counts=*/false);
}

void ReadWindowPool(const json& j, size_t rank, ConvCase* c) {
  if (!j.contains("kernel")) Fail("kernel", "required key is missing");
  c->kernel = ReadPerDim(j.at("kernel"), "kernel", rank, /*counts=*/false);
  // nn.MaxPool*/AvgPool*: stride=None means stride = kernel_size (torch/nn/modules/pooling.py).
  c->stride = j.contains("stride") && !j.at("stride").is_null() ? ReadPerDim(j.at("stride"), "stride", rank, false) : c->kernel;
  c->padding = Dims(rank, 0);
  if (j.contains("padding")) ReadPoolPadding(j.at("padding"), rank, c);
  c->dilation = j.contains("dilation") ? ReadPerDim(j.at("dilation"), "dilation", rank, false) : Dims(rank, 1);
  if (j.contains("ceil_mode")) c->ceil_mode = ReadBool(j.at("ceil_mode"), "ceil_mode");
  if (j.contains("count_include_pad")) c->count_include_pad = ReadBool(j.at("count_include_pad"), "count_include_pad");
  if (j.contains("divisor_override") && !j.at("divisor_override").is_null()) {
    c->divisor_override = ReadInt(j.at("divisor_override"), "divisor_override");
  }
}

// nn.MaxUnpool*d: kernel_size, stride (None: kernel_size), padding; F.max_unpool*d's
// output_size (spatial sizes only).
void ReadUnpool(const json& j, size_t rank, ConvCase* c) {
  if (!j.contains("kernel")) Fail("kernel", "required key is missing");
  c->kernel = ReadPerDim(j.at("kernel"), "kernel", rank, /*counts=*/false);
  c->stride = j.contains("stride") && !j.at("stride").is_null() ? ReadPerDim(j.at("stride"), "stride", rank, false) : c->kernel;
  c->padding = j.contains("padding") ? ReadPerDim(j.at("padding"), "padding", rank, false) : Dims(rank, 0);
  if (j.contains("output_size") && !j.at("output_size").is_null()) {
    c->output_size = ReadPerDim(j.at("output_size"), "output_size", rank, false);
  }
}

// A number or a list of `rank` numbers (F.interpolate's scale_factor).
std::vector<double> ReadScales(const json& v, size_t rank) {
  auto one = [](const json& e) {
    if (!e.is_number()) Fail("scale_factor", std::string("expected a number, got ") + e.type_name());
    return e.get<double>();
  };
  if (!v.is_array()) return std::vector<double>(rank, one(v));
  if (v.size() != rank) Fail("scale_factor", "expected 1 or " + std::to_string(rank) + " values, got " + std::to_string(v.size()));
  std::vector<double> out;
  for (const json& e : v) out.push_back(one(e));
  return out;
}

// nn.Upsample: exactly one of size and scale_factor (F.interpolate raises ValueError
// otherwise), mode (default "nearest"), align_corners (default None).
void ReadUpsample(const json& j, size_t rank, ConvCase* c) {
  const bool size = j.contains("size") && !j.at("size").is_null();
  const bool scale = j.contains("scale_factor") && !j.at("scale_factor").is_null();
  if (size == scale) Fail(size ? "scale_factor" : "size", "give exactly one of size and scale_factor");
  if (size) c->output_size = ReadPerDim(j.at("size"), "size", rank, false);
  if (scale) c->scale_factor = ReadScales(j.at("scale_factor"), rank);
  if (j.contains("mode")) {
    c->upsample_mode = ReadEnum<UpsampleMode>(j.at("mode"), "mode", ParseUpsampleModeName, "nearest, linear, bilinear, trilinear");
  }
  if (j.contains("align_corners") && !j.at("align_corners").is_null()) c->align_corners = ReadBool(j.at("align_corners"), "align_corners");
}

// A per-dim list of doubles as written: a scalar when every entry is equal.
json PerDimReal(const std::vector<double>& d) {
  for (double v : d) {
    if (v != d.front()) return json(d);
  }
  return d.empty() ? json(0.0) : json(d.front());
}

ConvCase ReadLayerCase(const json& j) {
  if (!j.is_object()) throw FieldError{std::string("case: expected a JSON object, got ") + j.type_name()};
  ConvCase c;
  if (!j.contains("op")) Fail("op", "required key is missing");
  c.op = ReadEnum<Op>(j.at("op"), "op", ParseOpName, "a convolution, pooling, flatten, linear or shape-neutral op");
  static const std::set<std::string> common = {"op", "input", "dtype", "device", "layout", "seed"};
  const std::set<std::string> own = FamilyKeys(c.op);
  for (const auto& item : j.items()) {
    if (common.count(item.key()) || own.count(item.key())) continue;
    Fail(item.key(), std::string(OpName(c.op)) + " takes no " + item.key());
  }
  if (!j.contains("input")) Fail("input", "required key is missing");
  const json& in = j.at("input");
  if (!in.is_array() || in.size() > 8) Fail("input", "expected a list of 0 to 8 integers");
  for (const json& e : in) c.input.push_back(ReadCount(e, "input"));
  const size_t rank = static_cast<size_t>(SpatialRank(c.op));
  c.kernel = c.stride = c.padding = c.dilation = c.output_padding = Dims(rank, rank ? 1 : 0);
  c.output_padding = c.padding = Dims(rank, 0);
  c.out_channels = 0;
  if (IsWindowPool(c.op)) ReadWindowPool(j, rank, &c);
  if (FamilyOf(c.op) == OpFamily::kMaxUnpool) ReadUnpool(j, rank, &c);
  if (FamilyOf(c.op) == OpFamily::kUpsample) ReadUpsample(j, rank, &c);
  if (IsAdaptivePool(c.op)) {
    if (!j.contains("output_size")) Fail("output_size", "required key is missing");
    c.output_size = ReadPerDim(j.at("output_size"), "output_size", rank, /*counts=*/false);
  }
  if (j.contains("start_dim")) c.start_dim = ReadInt(j.at("start_dim"), "start_dim");
  if (j.contains("end_dim")) c.end_dim = ReadInt(j.at("end_dim"), "end_dim");
  if (c.op == Op::kLinear) {
    if (!j.contains("out_features")) Fail("out_features", "required key is missing");
    c.out_features = ReadCount(j.at("out_features"), "out_features");
  }
  if (j.contains("in_features")) c.in_features = ReadCount(j.at("in_features"), "in_features");
  if (j.contains("num_features")) c.in_features = ReadCount(j.at("num_features"), "num_features");
  if (j.contains("bias")) c.bias = ReadBool(j.at("bias"), "bias");
  ReadCommonKeys(j, &c);
  return c;
}

}  // namespace

CaseParseResult LayerCaseFromJson(const json& j) {
  try {
    return {ReadLayerCase(j), ""};
  } catch (const FieldError& e) {
    return {std::nullopt, e.message};
  } catch (const std::exception& e) {
    return {std::nullopt, std::string("case: ") + e.what()};
  }
}

json LayerCaseToJson(const ConvCase& c) {
  json j;
  j["op"] = OpName(c.op);
  j["input"] = c.input;
  const OpFamily f = FamilyOf(c.op);
  if (IsWindowPool(c.op)) {
    j["kernel"] = PerDim(c.kernel);
    j["stride"] = PerDim(PoolStride(c));
    if (c.padding_kind == PaddingKind::kSame) j["padding"] = "same";
    else if (c.padding_kind == PaddingKind::kValid) j["padding"] = "valid";
    else j["padding"] = PerDim(c.padding);
    if (f == OpFamily::kMaxPool) j["dilation"] = PerDim(c.dilation);
    j["ceil_mode"] = c.ceil_mode;
    if (f == OpFamily::kAvgPool) j["count_include_pad"] = c.count_include_pad;
    if (f == OpFamily::kAvgPool && c.divisor_override) j["divisor_override"] = *c.divisor_override;
  }
  if (IsAdaptivePool(c.op)) j["output_size"] = PerDim(c.output_size);
  if (f == OpFamily::kMaxUnpool) {
    j["kernel"] = PerDim(c.kernel);
    j["stride"] = PerDim(PoolStride(c));
    j["padding"] = PerDim(c.padding);
    if (!c.output_size.empty()) j["output_size"] = PerDim(c.output_size);
  }
  if (f == OpFamily::kUpsample) {
    if (!c.output_size.empty()) j["size"] = PerDim(c.output_size);
    if (!c.scale_factor.empty()) j["scale_factor"] = PerDimReal(c.scale_factor);
    j["mode"] = UpsampleModeName(c.upsample_mode);
    if (c.align_corners) j["align_corners"] = *c.align_corners;
  }
  if (f == OpFamily::kFlatten) {
    j["start_dim"] = c.start_dim;
    j["end_dim"] = c.end_dim;
  }
  if (f == OpFamily::kLinear) {
    j["out_features"] = c.out_features;
    if (c.in_features) j["in_features"] = *c.in_features;
    j["bias"] = c.bias;
  }
  if (f == OpFamily::kBatchNorm && c.in_features) j["num_features"] = *c.in_features;
  j["dtype"] = DTypeName(c.dtype);
  j["device"] = DeviceName(c.device);
  if (c.layout != Layout::kContiguous) j["layout"] = LayoutName(c.layout);
  if (c.seed) j["seed"] = *c.seed;
  return j;
}

}  // namespace convcheck
