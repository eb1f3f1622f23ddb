// The case codec's field readers, shared by the convolution codec (case_json.cpp) and the
// layer codec (layer_case_json.cpp) so both refuse a bad value with the same words. Internal to
// case_io/: the readers throw FieldError, which each codec's public entry point catches and turns
// into its one-line error; nothing outside case_io/ sees an exception.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "oracles/conv_case.h"

namespace convcheck::json_fields {

using nlohmann::json;

struct FieldError {
  std::string message;
};

[[noreturn]] inline void Fail(const std::string& key, const std::string& what) { throw FieldError{key + ": " + what}; }

// An int64, refusing floats and values outside int64 (2^63 and above).
inline int64_t ReadInt(const json& v, const std::string& key) {
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) Fail(key, "value " + std::to_string(u) + " is outside int64");
    return static_cast<int64_t>(u);
  }
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) Fail(key, "expected an integer, got " + v.dump());
  Fail(key, std::string("expected an integer, got ") + v.type_name());
}

inline int64_t ReadCount(const json& v, const std::string& key) {
  const int64_t n = ReadInt(v, key);
  if (n < 0) Fail(key, "must not be negative, got " + std::to_string(n));
  return n;
}

// 1 to 8 non-negative integers (an input shape, a weight shape).
inline Dims ReadCountList(const json& v, const std::string& key) {
  if (!v.is_array()) Fail(key, std::string("expected a list of integers, got ") + v.type_name());
  if (v.empty() || v.size() > 8) Fail(key, "expected 1 to 8 entries, got " + std::to_string(v.size()));
  Dims out;
  for (const json& e : v) out.push_back(ReadCount(e, key));
  return out;
}

inline bool ReadBool(const json& v, const std::string& key) {
  if (!v.is_boolean()) Fail(key, "expected true or false");
  return v.get<bool>();
}

// A scalar or a list of exactly `rank` integers; scalars broadcast as in PyTorch.
inline Dims ReadPerDim(const json& v, const std::string& key, size_t rank, bool counts) {
  if (!v.is_array()) return Dims(rank, counts ? ReadCount(v, key) : ReadInt(v, key));
  if (v.size() != rank) Fail(key, "expected 1 or " + std::to_string(rank) + " values, got " + std::to_string(v.size()));
  Dims out;
  for (const json& e : v) out.push_back(counts ? ReadCount(e, key) : ReadInt(e, key));
  return out;
}

template <typename T>
T ReadEnum(const json& v, const std::string& key, std::optional<T> (*parse)(const std::string&), const char* allowed) {
  if (!v.is_string()) Fail(key, std::string("expected one of ") + allowed);
  const std::optional<T> parsed = parse(v.get<std::string>());
  if (!parsed) Fail(key, "unknown value \"" + v.get<std::string>() + "\", expected one of " + allowed);
  return *parsed;
}

// The keys every op takes the same way: dtype, device, layout and seed.
inline void ReadCommonKeys(const json& j, ConvCase* c) {
  if (j.contains("dtype")) c->dtype = ReadEnum<DType>(j.at("dtype"), "dtype", ParseDTypeName, "float32, float64, bfloat16, float16");
  if (j.contains("device")) c->device = ReadEnum<Device>(j.at("device"), "device", ParseDeviceName, "cpu, cuda");
  if (j.contains("layout")) c->layout = ReadEnum<Layout>(j.at("layout"), "layout", ParseLayoutName, "contiguous, channels_last");
  if (j.contains("seed")) {
    const json& s = j.at("seed");
    if (!s.is_number_integer() || (!s.is_number_unsigned() && s.get<int64_t>() < 0)) Fail("seed", "expected a non-negative integer");
    c->seed = s.get<uint64_t>();
  }
}

// A per-dim field as written: a scalar when every entry is equal, else the list.
inline json PerDim(const Dims& d) {
  for (int64_t v : d) {
    if (v != d.front()) return json(d);
  }
  return d.empty() ? json(0) : json(d.front());
}

}  // namespace convcheck::json_fields
