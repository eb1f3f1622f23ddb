#include "case_io/case_json.h"

#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "case_io/bounded_json.h"
#include "case_io/layer_case_json.h"
#include "oracles/layer_ops.h"

namespace convcheck {
namespace {

using nlohmann::json;

// Thrown only inside this file and always caught by CaseFromJson: it keeps the field readers
// short while the public API stays exception-free.
struct FieldError {
  std::string message;
};

[[noreturn]] void Fail(const std::string& key, const std::string& what) {
  throw FieldError{key + ": " + what};
}

int64_t ReadInt(const json& v, const std::string& key) {
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      Fail(key, "value " + std::to_string(u) + " is outside int64");
    }
    return static_cast<int64_t>(u);
  }
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) Fail(key, "expected an integer, got " + v.dump());
  Fail(key, std::string("expected an integer, got ") + v.type_name());
}

int64_t ReadCount(const json& v, const std::string& key) {
  const int64_t n = ReadInt(v, key);
  if (n < 0) Fail(key, "must not be negative, got " + std::to_string(n));
  return n;
}

Dims ReadCountList(const json& v, const std::string& key) {
  if (!v.is_array()) Fail(key, std::string("expected a list of integers, got ") + v.type_name());
  if (v.empty() || v.size() > 8) Fail(key, "expected 1 to 8 entries, got " + std::to_string(v.size()));
  Dims out;
  for (const json& e : v) out.push_back(ReadCount(e, key));
  return out;
}

// A scalar or a list of exactly `rank` integers; scalars broadcast as in PyTorch.
Dims ReadPerDim(const json& v, const std::string& key, size_t rank, bool counts) {
  Dims out;
  if (v.is_array()) {
    if (v.size() != rank) {
      Fail(key, "expected 1 or " + std::to_string(rank) + " values, got " +
                    std::to_string(v.size()));
    }
    for (const json& e : v) out.push_back(counts ? ReadCount(e, key) : ReadInt(e, key));
    return out;
  }
  return Dims(rank, counts ? ReadCount(v, key) : ReadInt(v, key));
}

template <typename T>
T ReadEnum(const json& v, const std::string& key, std::optional<T> (*parse)(const std::string&),
           const char* allowed) {
  if (!v.is_string()) Fail(key, std::string("expected one of ") + allowed);
  const std::optional<T> parsed = parse(v.get<std::string>());
  if (!parsed) Fail(key, "unknown value \"" + v.get<std::string>() + "\", expected one of " + allowed);
  return *parsed;
}

void ReadPadding(const json& v, size_t rank, ConvCase* c) {
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s != "same" && s != "valid") Fail("padding", "expected an integer, a list, \"same\" or \"valid\", got \"" + s + "\"");
    if (IsTransposed(c->op)) Fail("padding", "\"" + s + "\" is only defined for convolutions, not " + OpName(c->op));
    c->padding_kind = s == "same" ? PaddingKind::kSame : PaddingKind::kValid;
    c->padding = Dims(rank, 0);
    return;
  }
  c->padding = ReadPerDim(v, "padding", rank, /*counts=*/false);
}

const std::set<std::string>& KnownKeys() {
  static const std::set<std::string> keys = {
      "op",      "input",  "out_channels", "kernel",       "stride", "padding",
      "output_padding", "dilation", "groups", "bias", "padding_mode", "dtype",
      "device",  "layout", "weight_shape", "seed"};
  return keys;
}

const json& Required(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) Fail(key, "required key is missing");
  return *it;
}

ConvCase ReadCase(const json& j) {
  if (!j.is_object()) throw FieldError{std::string("case: expected a JSON object, got ") + j.type_name()};
  for (const auto& item : j.items()) {
    if (!KnownKeys().count(item.key())) Fail(item.key(), "unknown key");
  }
  ConvCase c;
  c.op = ReadEnum<Op>(Required(j, "op"), "op", ParseOpName,
                      "conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d");
  const size_t rank = static_cast<size_t>(SpatialRank(c.op));
  c.input = ReadCountList(Required(j, "input"), "input");
  c.out_channels = ReadCount(Required(j, "out_channels"), "out_channels");
  c.kernel = ReadPerDim(Required(j, "kernel"), "kernel", rank, /*counts=*/true);
  auto per_dim = [&](const char* key, int64_t dflt) {
    return j.contains(key) ? ReadPerDim(j.at(key), key, rank, false) : Dims(rank, dflt);
  };
  c.stride = per_dim("stride", 1);
  c.dilation = per_dim("dilation", 1);
  c.output_padding = per_dim("output_padding", 0);
  if (!IsTransposed(c.op) && j.contains("output_padding")) {
    for (int64_t v : c.output_padding) {
      if (v != 0) Fail("output_padding", std::string("only transposed ops take output_padding, not ") + OpName(c.op));
    }
  }
  c.padding = Dims(rank, 0);
  if (j.contains("padding")) ReadPadding(j.at("padding"), rank, &c);
  if (j.contains("groups")) c.groups = ReadInt(j.at("groups"), "groups");
  if (j.contains("bias")) {
    if (!j.at("bias").is_boolean()) Fail("bias", "expected true or false");
    c.bias = j.at("bias").get<bool>();
  }
  if (j.contains("padding_mode")) c.padding_mode = ReadEnum<PaddingMode>(j.at("padding_mode"), "padding_mode", ParsePaddingModeName, "zeros, reflect, replicate, circular");
  if (j.contains("dtype")) c.dtype = ReadEnum<DType>(j.at("dtype"), "dtype", ParseDTypeName, "float32, float64, bfloat16, float16");
  if (j.contains("device")) c.device = ReadEnum<Device>(j.at("device"), "device", ParseDeviceName, "cpu, cuda");
  if (j.contains("layout")) c.layout = ReadEnum<Layout>(j.at("layout"), "layout", ParseLayoutName, "contiguous, channels_last");
  if (j.contains("weight_shape")) c.weight_shape = ReadCountList(j.at("weight_shape"), "weight_shape");
  if (j.contains("seed")) {
    const json& s = j.at("seed");
    if (!s.is_number_integer() || (!s.is_number_unsigned() && s.get<int64_t>() < 0)) Fail("seed", "expected a non-negative integer");
    c.seed = s.get<uint64_t>();
  }
  return c;
}

json PerDim(const Dims& d) {
  for (int64_t v : d) {
    if (v != d.front()) return json(d);
  }
  return d.empty() ? json(0) : json(d.front());
}

}  // namespace

CaseParseResult CaseFromJson(const nlohmann::json& j) {
  // Pooling, flatten, linear and the shape-neutral layers have their own keys.
  if (j.is_object() && j.contains("op") && j.at("op").is_string()) {
    const std::optional<Op> op = ParseOpName(j.at("op").get<std::string>());
    if (op && !IsConvOp(*op)) return LayerCaseFromJson(j);
  }
  try {
    return {ReadCase(j), ""};
  } catch (const FieldError& e) {
    return {std::nullopt, e.message};
  } catch (const std::exception& e) {
    return {std::nullopt, std::string("case: ") + e.what()};
  }
}

CaseParseResult ParseCaseText(const std::string& text) {
  std::string error;
  json j = ParseBoundedJson(text, &error);
  if (j.is_discarded()) return {std::nullopt, "case: " + error};
  return CaseFromJson(j);
}

json CaseToJson(const ConvCase& c) {
  if (!IsConvOp(c.op)) return LayerCaseToJson(c);
  // ordered_json would keep insertion order, but the dump below fixes the order explicitly.
  json j;
  j["op"] = OpName(c.op);
  j["input"] = c.input;
  j["out_channels"] = c.out_channels;
  j["kernel"] = PerDim(c.kernel);
  j["stride"] = PerDim(c.stride);
  if (c.padding_kind == PaddingKind::kSame) {
    j["padding"] = "same";
  } else if (c.padding_kind == PaddingKind::kValid) {
    j["padding"] = "valid";
  } else {
    j["padding"] = PerDim(c.padding);
  }
  if (IsTransposed(c.op)) j["output_padding"] = PerDim(c.output_padding);
  j["dilation"] = PerDim(c.dilation);
  j["groups"] = c.groups;
  j["bias"] = c.bias;
  j["padding_mode"] = PaddingModeName(c.padding_mode);
  j["dtype"] = DTypeName(c.dtype);
  j["device"] = DeviceName(c.device);
  if (c.layout != Layout::kContiguous) j["layout"] = LayoutName(c.layout);
  if (c.weight_shape) j["weight_shape"] = *c.weight_shape;
  if (c.seed) j["seed"] = *c.seed;
  return j;
}

std::string CaseToJsonLine(const ConvCase& c) {
  static const char* kOrder[] = {"op",     "input",          "out_channels", "kernel",
                                 "stride", "padding",        "output_padding", "dilation",
                                 "groups", "bias",           "padding_mode", "dtype",
                                 "device", "layout",         "weight_shape", "seed",
                                 // the keys of the other layers (case_io/layer_case_json.h)
                                 "output_size", "ceil_mode", "count_include_pad", "divisor_override",
                                 "start_dim", "end_dim", "in_features", "num_features", "out_features"};
  const json j = CaseToJson(c);
  std::string out = "{";
  for (const char* key : kOrder) {
    if (!j.contains(key)) continue;
    if (out.size() > 1) out += ", ";
    out += json(key).dump() + ": " + j.at(key).dump();
  }
  return out + "}";
}

}  // namespace convcheck
