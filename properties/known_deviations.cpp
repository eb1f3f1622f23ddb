#include "properties/known_deviations.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "case_io/bounded_json.h"
#include "oracles/layer_ops.h"
#include "properties/cpu_flags.h"
#include "case_io/text_file.h"

namespace convcheck {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct LoadError {
  std::string message;
};

std::string Str(const json& j, const char* key, bool required) {
  if (!j.contains(key)) {
    if (required) throw LoadError{std::string(key) + ": required key is missing"};
    return "";
  }
  if (!j.at(key).is_string()) throw LoadError{std::string(key) + ": expected a string"};
  return j.at(key).get<std::string>();
}

// A required string or non-empty list of strings.
std::vector<std::string> StrList(const json& j, const char* key) {
  if (!j.contains(key)) throw LoadError{std::string(key) + ": required key is missing"};
  const json& v = j.at(key);
  std::vector<std::string> out;
  if (v.is_string()) out.push_back(v.get<std::string>());
  if (v.is_array()) {
    for (const json& e : v) {
      if (!e.is_string()) throw LoadError{std::string(key) + ": expected strings"};
      out.push_back(e.get<std::string>());
    }
  }
  if (out.empty()) throw LoadError{std::string(key) + ": expected a string or a non-empty list of strings"};
  return out;
}

template <typename T>
std::vector<T> EnumList(const json& fam, const char* key,
                        std::optional<T> (*parse)(const std::string&)) {
  std::vector<T> out;
  if (!fam.contains(key)) return out;
  if (!fam.at(key).is_array()) throw LoadError{std::string("family.") + key + ": expected a list"};
  for (const json& v : fam.at(key)) {
    const auto parsed = v.is_string() ? parse(v.get<std::string>()) : std::nullopt;
    if (!parsed) throw LoadError{std::string("family.") + key + ": unknown value " + v.dump()};
    out.push_back(*parsed);
  }
  return out;
}

KnownDeviation ParseRecord(const json& j) {
  static const char* kKeys[] = {"format", "id", "property", "verdict", "framework",
                                "min_version", "max_version", "family", "message",
                                "evidence", "example", "case", "partial", "time_limit_s", "cpu_flags"};
  if (!j.is_object()) throw LoadError{"expected a JSON object per deviation"};
  for (const auto& item : j.items()) {
    if (std::none_of(std::begin(kKeys), std::end(kKeys),
                     [&](const char* k) { return item.key() == k; })) {
      throw LoadError{item.key() + ": unknown key"};
    }
  }
  if (!j.contains("format") || j.at("format") != 1) throw LoadError{"format: expected 1"};
  KnownDeviation d;
  d.id = Str(j, "id", true);
  d.properties = StrList(j, "property");
  for (const std::string& p : d.properties) d.property += (d.property.empty() ? "" : ", ") + p;
  for (const std::string& v : StrList(j, "verdict")) {
    const auto verdict = ParseVerdictName(v);
    if (!verdict) throw LoadError{"verdict: unknown value \"" + v + "\""};
    d.verdicts.push_back(*verdict);
  }
  d.verdict = d.verdicts.front();
  d.framework = Str(j, "framework", true);
  d.min_version = Str(j, "min_version", false);
  d.max_version = Str(j, "max_version", false);
  d.message = Str(j, "message", false);
  d.evidence = Str(j, "evidence", true);
  if (j.contains("partial")) {
    if (!j.at("partial").is_boolean()) throw LoadError{"partial: expected true or false"};
    d.partial = j.at("partial").get<bool>();
  }
  if (j.contains("cpu_flags")) d.cpu_flags = StrList(j, "cpu_flags");
  if (j.contains("time_limit_s")) {
    const json& t = j.at("time_limit_s");
    if (!t.is_number() || t.get<double>() <= 0) throw LoadError{"time_limit_s: expected a positive number of seconds"};
    if (std::find(d.verdicts.begin(), d.verdicts.end(), Verdict::kTimeout) == d.verdicts.end()) {
      throw LoadError{"time_limit_s: only a record with verdict \"timeout\" (a known hang) may shorten the limit"};
    }
    d.time_limit_s = t.get<double>();
  }
  if (j.contains("family")) {
    const json& fam = j.at("family");
    if (!fam.is_object()) throw LoadError{"family: expected an object"};
    d.family.ops = EnumList<Op>(fam, "ops", ParseOpName);
    d.family.dtypes = EnumList<DType>(fam, "dtypes", ParseDTypeName);
    d.family.devices = EnumList<Device>(fam, "devices", ParseDeviceName);
    d.family.padding_modes = EnumList<PaddingMode>(fam, "padding_modes", ParsePaddingModeName);
    if (fam.contains("when")) {
      for (const json& w : fam.at("when")) {
        if (!w.is_string() || !IsKnownPredicate(w.get<std::string>())) {
          throw LoadError{"family.when: unknown predicate " + w.dump()};
        }
        d.family.when.push_back(w.get<std::string>());
      }
    }
  }
  return d;
}

template <typename T>
bool Allows(const std::vector<T>& allowed, T v) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), v) != allowed.end();
}

bool InFamily(const KnownDeviation& d, const CaseResult& r) {
  const CaseFamily& f = d.family;
  return Allows(f.ops, r.c.op) && Allows(f.dtypes, r.c.dtype) && Allows(f.devices, r.c.device) &&
         Allows(f.padding_modes, r.c.padding_mode) &&
         std::all_of(f.when.begin(), f.when.end(),
                     [&](const std::string& p) { return CaseHas(p, r); });
}

bool AnyOf(const Dims& d, int64_t (*f)(int64_t)) {
  return std::any_of(d.begin(), d.end(), [&](int64_t v) { return f(v) != 0; });
}

using Predicate = bool (*)(const CaseResult&);
const std::map<std::string, Predicate>& Predicates() {
  static const std::map<std::string, Predicate> table = {
      {"zero_batch", [](const CaseResult& r) { return IsBatched(r.c) && r.c.input[0] == 0; }},
      {"zero_channels", [](const CaseResult& r) { return InChannels(r.c) == 0; }},
      {"zero_spatial", [](const CaseResult& r) {
         const Dims x = SpatialInput(r.c);
         return std::find(x.begin(), x.end(), 0) != x.end();
       }},
      {"unbatched", [](const CaseResult& r) { return !IsBatched(r.c); }},
      {"batched", [](const CaseResult& r) { return IsBatched(r.c); }},
      {"groups_gt_1", [](const CaseResult& r) { return r.c.groups > 1; }},
      {"dilation_gt_1", [](const CaseResult& r) { return AnyOf(r.c.dilation, [](int64_t v) -> int64_t { return v > 1; }); }},
      {"non_positive_dilation", [](const CaseResult& r) { return AnyOf(r.c.dilation, [](int64_t v) -> int64_t { return v <= 0; }); }},
      // Any stride <= 0, whichever rule the oracle names first (a case may break several).
      {"non_positive_stride", [](const CaseResult& r) { return AnyOf(r.c.stride, [](int64_t v) -> int64_t { return v <= 0; }); }},
      {"strided", [](const CaseResult& r) { return AnyOf(r.c.stride, [](int64_t v) -> int64_t { return v > 1; }); }},
      {"same_padding", [](const CaseResult& r) { return r.c.padding_kind == PaddingKind::kSame; }},
      // padding="same" whose amount d·(k − 1) is negative in some dim (a kernel of 0, a
      // negative dilation), k read from the weight LibTorch gets; signs only, no product.
      {"negative_same_padding", [](const CaseResult& r) {
         if (r.c.padding_kind != PaddingKind::kSame || !IsConvOp(r.c.op)) return false;
         const Dims w = WeightShape(r.c);
         const size_t rank = r.c.dilation.size();
         for (size_t i = 0; i < rank && i < w.size(); ++i) {
           const int64_t k = w[w.size() - rank + i], d = r.c.dilation[i];
           if ((d > 0 && k < 1) || (d < 0 && k > 1)) return true;
         }
         return false;
       }},
      {"channels_last", [](const CaseResult& r) { return r.c.layout == Layout::kChannelsLast; }},
      {"weight_override", [](const CaseResult& r) { return r.c.weight_shape.has_value(); }},
      {"transposed", [](const CaseResult& r) { return IsTransposed(r.c.op); }},
      {"output_padding_gt_0", [](const CaseResult& r) { return IsTransposed(r.c.op) && AnyOf(r.c.output_padding, [](int64_t v) -> int64_t { return v > 0; }); }},
      {"huge_parameter", [](const CaseResult& r) {
         auto huge = [](int64_t v) -> int64_t { return v >= (int64_t{1} << 31) - 1 || v <= -(int64_t{1} << 31); };
         return AnyOf(r.c.padding, huge) || AnyOf(r.c.stride, huge) || AnyOf(r.c.dilation, huge) ||
                AnyOf(r.c.output_padding, huge) || huge(r.c.groups);
       }},
      {"huge_kernel", [](const CaseResult& r) {  // pooling kernel or adaptive output_size >= 2^31 - 1
         auto huge = [](int64_t v) -> int64_t { return v >= (int64_t{1} << 31) - 1; };
         return AnyOf(r.c.kernel, huge) || AnyOf(r.c.output_size, huge);
       }},
      // Cases in ONNX terms (ConvCase::auto_pad).
      {"onnx_geometry", [](const CaseResult& r) { return IsOnnxGeometry(r.c); }},
      {"auto_pad_same", [](const CaseResult& r) {
         return r.c.auto_pad == AutoPad::kSameUpper || r.c.auto_pad == AutoPad::kSameLower;
       }},
      {"auto_pad_same_upper", [](const CaseResult& r) { return r.c.auto_pad == AutoPad::kSameUpper; }},
      {"auto_pad_same_lower", [](const CaseResult& r) { return r.c.auto_pad == AutoPad::kSameLower; }},
      {"auto_pad_valid", [](const CaseResult& r) { return r.c.auto_pad == AutoPad::kValid; }},
      {"asymmetric_pads", [](const CaseResult& r) { return IsOnnxGeometry(r.c) && PaddingEnd(r.c) != r.c.padding; }},
      {"output_shape", [](const CaseResult& r) { return r.c.output_shape.has_value(); }},
      {"oracle_valid", [](const CaseResult& r) { return r.expected.ok(); }},
      {"oracle_invalid", [](const CaseResult& r) { return !r.expected.ok(); }},
  };
  return table;
}

}  // namespace

// "rule:<name>": the oracle refuses the case by that rule (oracles/rule.h), the family of a
// framework that lacks or skips one of the rules (ONNX 1.12's shape inference).
static const char kRulePrefix[] = "rule:";

bool IsKnownPredicate(const std::string& p) {
  if (p.rfind(kRulePrefix, 0) == 0) return ParseRuleName(p.substr(sizeof(kRulePrefix) - 1)).has_value();
  return Predicates().count(p) != 0;
}

bool CaseHas(const std::string& p, const CaseResult& r) {
  if (p.rfind(kRulePrefix, 0) == 0) {
    const std::optional<Rule> rule = ParseRuleName(p.substr(sizeof(kRulePrefix) - 1));
    return rule && !r.expected.ok() && r.expected.violation().rule == *rule;
  }
  auto it = Predicates().find(p);
  return it != Predicates().end() && it->second(r);
}

int CompareVersions(const std::string& a, const std::string& b) {
  std::istringstream sa(a), sb(b);
  std::string pa, pb;
  while (true) {
    const bool ha = static_cast<bool>(std::getline(sa, pa, '.'));
    const bool hb = static_cast<bool>(std::getline(sb, pb, '.'));
    if (!ha && !hb) return 0;
    const long va = ha ? std::atol(pa.c_str()) : 0, vb = hb ? std::atol(pb.c_str()) : 0;
    if (va != vb) return va < vb ? -1 : 1;
  }
}

std::optional<std::string> KnownDeviations::Load(const std::string& dir,
                                                 const std::string& framework,
                                                 const std::string& version,
                                                 KnownDeviations* out) {
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return std::nullopt;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    std::string text, error;
    if (!ReadTextFile(file.string(), &text, &error)) return error;
    const json j = ParseBoundedJson(text, &error);
    if (j.is_discarded()) return file.string() + ": " + error;
    try {
      for (const json& rec : j.is_array() ? j : json::array({j})) {
        KnownDeviation d = ParseRecord(rec);
        d.source = file.string();
        const bool in_range =
            d.framework == framework &&
            (d.min_version.empty() || CompareVersions(version, d.min_version) >= 0) &&
            (d.max_version.empty() || CompareVersions(version, d.max_version) < 0);
        if (in_range && CpuHasFlags(d.cpu_flags)) out->records_.push_back(std::move(d));
      }
    } catch (const LoadError& e) {
      return file.string() + ": " + e.message;
    } catch (const std::exception& e) {
      return file.string() + ": " + e.what();
    }
  }
  return std::nullopt;
}

std::optional<size_t> KnownDeviations::Match(const CaseResult& r) const {
  for (size_t i = 0; i < records_.size(); ++i) {
    const KnownDeviation& d = records_[i];
    const bool verdict = std::find(d.verdicts.begin(), d.verdicts.end(), r.verdict) != d.verdicts.end();
    const bool property = std::find(d.properties.begin(), d.properties.end(), r.property) != d.properties.end();
    if (!verdict || !property || !InFamily(d, r)) continue;
    if (!d.message.empty() && r.outcome.message.find(d.message) == std::string::npos) continue;
    return i;
  }
  return std::nullopt;
}

std::vector<size_t> KnownDeviations::FamiliesOf(const CaseResult& r) const {
  std::vector<size_t> out;
  for (size_t i = 0; i < records_.size(); ++i) {
    const auto& props = records_[i].properties;
    if (std::find(props.begin(), props.end(), r.property) != props.end() && InFamily(records_[i], r)) {
      out.push_back(i);
    }
  }
  return out;
}

std::optional<double> KnownDeviations::TimeLimitFor(const ConvCase& c,
                                                    const std::function<bool(const std::string&)>& served) const {
  std::optional<double> shortest;
  CaseResult r;
  bool judged = false;
  for (const KnownDeviation& d : records_) {
    if (!d.time_limit_s || (shortest && *shortest <= *d.time_limit_s)) continue;
    if (served && std::none_of(d.properties.begin(), d.properties.end(), served)) continue;
    if (!judged) {  // the oracle's verdict only once, and only when a record may need it
      r.c = c;
      r.expected = OutputShape(c);
      judged = true;
    }
    if (InFamily(d, r)) shortest = d.time_limit_s;
  }
  return shortest;
}

}  // namespace convcheck
