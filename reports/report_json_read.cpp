// Reading the JSON form back (ParseReportText). Every accessor names the path of the value it
// could not read, so a hand-edited or truncated report gets one precise line.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <limits>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "case_io/bounded_json.h"
#include "case_io/case_json.h"
#include "reports/report_json.h"
#include "reports/summarize.h"

namespace convcheck::report {
namespace {

using nlohmann::json;

struct BadField : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const json& At(const json& j, const std::string& path, const char* key) {
  if (!j.is_object() || !j.contains(key)) throw BadField(path + "." + key + ": missing");
  return j.at(key);
}

template <typename T>
T Get(const json& j, const std::string& path, const char* key) {
  const json& v = At(j, path, key);
  try {
    return v.get<T>();
  } catch (const json::exception&) {
    throw BadField(path + "." + key + ": wrong type (" + v.type_name() + ")");
  }
}

// Counts are validated on read, so nothing downstream (totals, merge, JUnit) can overflow: each
// count is at most 2^40 and a report holds at most JsonLimits::max_values of them (2^23).
constexpr int64_t kMaxCount = int64_t{1} << 40;
// shard_count bounds the merge's "which shards are missing" walk; no real matrix comes close.
constexpr int64_t kMaxShards = int64_t{1} << 16;

// An integer in [lo, hi]: 1.5, 2^64, a string or a negative count are refused with their path,
// never converted (nlohmann's get<int>() would read 1.5 as 1 and 2^64 as −2^63).
int64_t IntValue(const json& v, const std::string& at, int64_t lo, int64_t hi) {
  if (!v.is_number_integer()) throw BadField(at + ": expected an integer, got " + v.dump().substr(0, 80));
  // nlohmann stores non-negative literals as uint64, negative ones as int64: compare each exactly.
  const bool in_range = v.is_number_unsigned()
                            ? v.get<uint64_t>() <= static_cast<uint64_t>(hi) && (lo <= 0 || v.get<uint64_t>() >= static_cast<uint64_t>(lo))
                            : v.get<int64_t>() >= lo && v.get<int64_t>() <= hi;
  if (!in_range) throw BadField(at + ": " + v.dump() + " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
  return v.get<int64_t>();
}

int64_t GetInt(const json& j, const std::string& path, const char* key, int64_t lo, int64_t hi) {
  return IntValue(At(j, path, key), path + "." + key, lo, hi);
}

int64_t GetCount(const json& j, const std::string& path, const char* key) {
  return GetInt(j, path, key, 0, kMaxCount);
}

double GetNumber(const json& j, const std::string& path, const char* key) {
  const json& v = At(j, path, key);
  if (v.is_number()) return v.get<double>();
  if (v == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (v == "Infinity") return std::numeric_limits<double>::infinity();
  if (v == "-Infinity") return -std::numeric_limits<double>::infinity();
  throw BadField(path + "." + key + ": expected a number, \"NaN\" or \"Infinity\"");
}

template <typename T, typename Parse>
T GetEnum(const json& j, const std::string& path, const char* key, Parse parse) {
  const std::string s = Get<std::string>(j, path, key);
  const std::optional<T> v = parse(s);
  if (!v) throw BadField(path + "." + key + ": unknown '" + s + "'");
  return *v;
}

std::array<int64_t, kVerdictCount> GetVerdicts(const json& j, const std::string& path) {
  std::array<int64_t, kVerdictCount> out{};
  for (Verdict v : kAllVerdicts) {
    // Reports written before wrong_reason and resource existed lack them: they counted none.
    const bool appended = v == Verdict::kWrongReason || v == Verdict::kResource;
    if (appended && j.is_object() && !j.contains(VerdictName(v))) continue;
    out[static_cast<size_t>(v)] = GetCount(j, path, VerdictName(v));
  }
  return out;
}

Context ReadContext(const json& j) {
  const std::string p = "context";
  Context c;
  c.tool_version = Get<std::string>(j, p, "tool_version");
  c.git_revision = Get<std::string>(j, p, "git_revision");
  c.framework = Get<std::string>(j, p, "framework");
  c.framework_version = Get<std::string>(j, p, "framework_version");
  c.devices = Get<std::vector<std::string>>(j, p, "devices");
  c.cuda_version = Get<std::string>(j, p, "cuda_version");
  c.cudnn_version = Get<std::string>(j, p, "cudnn_version");
  c.dtypes = Get<std::vector<std::string>>(j, p, "dtypes");
  const json& seed = At(j, p, "seed");
  if (!seed.is_number_unsigned()) throw BadField(p + ".seed: expected a non-negative integer, got " + seed.dump());
  c.seed = seed.get<uint64_t>();
  c.shard_count = static_cast<int>(GetInt(j, p, "shard_count", 1, kMaxShards));
  const json& shards = At(j, p, "shards");
  if (!shards.is_array()) throw BadField(p + ".shards: expected a list");
  c.shards.clear();
  for (size_t i = 0; i < shards.size(); ++i) {
    const std::string at = p + ".shards[" + std::to_string(i) + "]";
    c.shards.push_back(static_cast<int>(IntValue(shards[i], at, 0, c.shard_count - 1)));
  }
  c.budget_cases = GetCount(j, p, "budget_cases");
  c.budget_seconds = GetNumber(j, p, "budget_seconds");
  c.start_time = Get<std::string>(j, p, "start_time");
  c.end_time = Get<std::string>(j, p, "end_time");
  c.host_cpus = static_cast<int>(GetInt(j, p, "host_cpus", 0, 1 << 20));
  c.command_line = Get<std::string>(j, p, "command_line");
  c.cases = GetCount(j, p, "cases");
  c.seconds = GetNumber(j, p, "seconds");
  c.complete = Get<bool>(j, p, "complete");
  return c;
}

// "skipped_reasons": {"no CUDA device": 40, ...}, optional (reports before it have none).
// Each count is a non-negative integer, and together they cannot exceed the row's skipped count.
std::map<std::string, int64_t> ReadSkipReasons(const json& j, const std::string& p, int64_t skipped) {
  std::map<std::string, int64_t> out;
  if (!j.is_object() || !j.contains("skipped_reasons")) return out;
  const json& reasons = j.at("skipped_reasons");
  const std::string path = p + ".skipped_reasons";
  if (!reasons.is_object()) {
    throw BadField(path + ": expected an object of counts (" + reasons.type_name() + ")");
  }
  int64_t sum = 0;
  for (const auto& [reason, n] : reasons.items()) {
    const std::string at = path + "[\"" + reason + "\"]";
    if (!n.is_number_integer() || (!n.is_number_unsigned() && n.get<int64_t>() < 0)) {
      throw BadField(at + ": expected a non-negative integer (" + n.dump() + ")");
    }
    const int64_t room = std::max<int64_t>(skipped - sum, 0);  // sum never exceeds skipped
    if ((n.is_number_unsigned() && n.get<uint64_t>() > static_cast<uint64_t>(room)) ||
        n.get<int64_t>() > room) {
      throw BadField(path + ": the reasons count more skips than verdicts.skipped (" +
                     std::to_string(skipped) + ")");
    }
    out[reason] = n.get<int64_t>();
    sum += out[reason];
  }
  return out;
}

CountsRow ReadCounts(const json& j, const std::string& p) {
  CountsRow r;
  r.property = Get<std::string>(j, p, "property");
  r.op = GetEnum<Op>(j, p, "op", ParseOpName);
  r.device = GetEnum<Device>(j, p, "device", ParseDeviceName);
  r.dtype = GetEnum<DType>(j, p, "dtype", ParseDTypeName);
  r.by_verdict = GetVerdicts(At(j, p, "verdicts"), p + ".verdicts");
  r.xfail = GetCount(j, p, "xfail");
  r.skipped_by_reason = ReadSkipReasons(j, p, r.of(Verdict::kSkipped));
  return r;
}

Failure ReadFailure(const json& j, const std::string& p) {
  Failure f;
  f.property = Get<std::string>(j, p, "property");
  f.verdict = GetEnum<Verdict>(j, p, "verdict", ParseVerdictName);
  f.op = GetEnum<Op>(j, p, "op", ParseOpName);
  f.where = Get<std::string>(j, p, "where");
  if (j.contains("backend")) f.backend = Get<std::string>(j, p, "backend");  // absent before it existed
  f.occurrences = GetCount(j, p, "occurrences");
  const CaseParseResult c = CaseFromJson(At(j, p, "case"));
  if (!c.ok()) throw BadField(p + ".case: " + c.error);
  f.minimal_case = *c.value;
  f.expectation = Get<std::string>(j, p, "expectation");
  f.outcome = Get<std::string>(j, p, "outcome");
  f.detail = Get<std::string>(j, p, "detail");
  const json& repro = At(j, p, "reproducers");
  f.cpp_repro = Get<std::string>(repro, p + ".reproducers", "cpp");
  f.python_repro = Get<std::string>(repro, p + ".reproducers", "python");
  if (j.contains("messages")) {  // absent in reports older than it
    const json& list = At(j, p, "messages");
    if (!list.is_array()) throw BadField(p + ".messages: expected a list");
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string mp = p + ".messages[" + std::to_string(i) + "]";
      f.messages.push_back({Get<std::string>(list[i], mp, "text"), GetCount(list[i], mp, "count")});
    }
  }
  return f;
}

KnownRow ReadKnown(const json& j, const std::string& p) {
  return {Get<std::string>(j, p, "id"), Get<std::string>(j, p, "property"),
          Get<std::string>(j, p, "evidence"), GetCount(j, p, "xfail"),
          GetCount(j, p, "family_agreed")};
}

KernelStrideCount ReadKernelStride(const json& j, const std::string& p) {
  return {Get<std::string>(j, p, "kernel"), Get<std::string>(j, p, "stride"),
          GetCount(j, p, "cases"), GetCount(j, p, "failures")};
}

TimeRow ReadTimeRow(const json& j, const std::string& p) {
  return {Get<std::string>(j, p, "stage"), Get<std::string>(j, p, "name"), Get<int64_t>(j, p, "calls"),
          GetNumber(j, p, "seconds")};
}

template <typename T, typename Read>
std::vector<T> ReadList(const json& j, const char* key, Read read) {
  const json& list = At(j, "report", key);
  if (!list.is_array()) throw BadField(std::string(key) + ": expected a list");
  std::vector<T> out;
  for (size_t i = 0; i < list.size(); ++i) {
    out.push_back(read(list[i], std::string(key) + "[" + std::to_string(i) + "]"));
  }
  return out;
}

Report ReadReport(const json& j) {
  Report r;
  r.schema_version = static_cast<int>(GetInt(j, "report", "schema_version", 1, kSchemaVersion));
  r.context = ReadContext(At(j, "report", "context"));
  r.counts = ReadList<CountsRow>(j, "counts", ReadCounts);
  r.failures = ReadList<Failure>(j, "failures", ReadFailure);
  r.known = ReadList<KnownRow>(j, "known", ReadKnown);
  r.kernel_stride = ReadList<KernelStrideCount>(j, "kernel_stride", ReadKernelStride);
  // Optional: reports written before issue #11 have no timings.
  if (j.contains("timings")) r.timings = ReadList<TimeRow>(j, "timings", ReadTimeRow);
  // Optional: present only when the framework printed something in the workers.
  if (j.contains("library_output")) {
    r.library_output = ReadList<LibraryLine>(j, "library_output", [](const json& l, const std::string& p) {
      return LibraryLine{Get<std::string>(l, p, "text"), GetCount(l, p, "count")};
    });
  }
  Summarize(&r);
  return r;
}

}  // namespace

ReportParseResult ParseReportText(const std::string& text) {
  std::string error;
  const json j = ParseBoundedJson(text, &error);
  if (j.is_discarded()) return {std::nullopt, error + " (truncated or not a report?)"};
  if (!j.is_object()) return {std::nullopt, "expected a JSON object"};
  try {
    return {ReadReport(j), ""};
  } catch (const BadField& e) {
    return {std::nullopt, e.what()};
  }
}

}  // namespace convcheck::report
