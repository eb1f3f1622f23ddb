#include "engine/corpus.h"

#include "case_io/case_hash.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/reproducer.h"
#include "reports/atomic_file.h"
#include "case_io/bounded_json.h"
#include "case_io/case_json.h"
#include "case_io/text_file.h"

namespace convcheck {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Reads an optional string key into `out`; false with an error naming the key otherwise.
bool OptionalString(const json& j, const char* key, std::string* out, std::string* error) {
  auto it = j.find(key);
  if (it == j.end()) return true;
  if (!it->is_string()) {
    *error = std::string(key) + ": expected a string";
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

EntryParseResult Fail(std::string message) { return {std::nullopt, std::move(message)}; }

EntryParseResult EntryFromJson(const json& j) {
  static const char* kKeys[] = {"format", "property", "case", "verdict", "outcome", "framework", "note"};
  if (!j.is_object()) return Fail(std::string("entry: expected a JSON object, got ") + j.type_name());
  for (const auto& item : j.items()) {
    if (std::none_of(std::begin(kKeys), std::end(kKeys), [&](const char* k) { return item.key() == k; })) {
      return Fail(item.key() + ": unknown key");
    }
  }
  if (!j.contains("format") || !j.at("format").is_number_integer() || j.at("format") != kCorpusFormat) {
    return Fail("format: expected " + std::to_string(kCorpusFormat));
  }
  if (!j.contains("case")) return Fail("case: required key is missing");
  CaseParseResult parsed = CaseFromJson(j.at("case"));
  if (!parsed.ok()) return Fail("case." + parsed.error);
  CorpusEntry e;
  e.c = *parsed.value;
  std::string error, verdict;
  if (!OptionalString(j, "property", &e.property, &error) ||
      !OptionalString(j, "verdict", &verdict, &error) ||
      !OptionalString(j, "outcome", &e.outcome, &error) ||
      !OptionalString(j, "framework", &e.framework, &error) ||
      !OptionalString(j, "note", &e.note, &error)) {
    return Fail(error);
  }
  if (e.property.empty()) return Fail("property: expected a property name");
  if (!verdict.empty()) {
    e.verdict = ParseVerdictName(verdict);
    if (!e.verdict) return Fail("verdict: unknown value \"" + verdict + "\"");
  }
  return {std::move(e), ""};
}

}  // namespace

EntryParseResult ParseCorpusEntry(const std::string& text) {
  std::string error;
  const json j = ParseBoundedJson(text, &error);
  if (j.is_discarded()) return Fail("entry: " + error);
  try {
    return EntryFromJson(j);
  } catch (const std::exception& e) {  // nlohmann type errors on exotic values
    return Fail(std::string("entry: ") + e.what());
  }
}

std::string CorpusEntryText(const CorpusEntry& e) {
  // nlohmann's ordered_json keeps insertion order, so files diff well and hash stably.
  nlohmann::ordered_json j;
  j["format"] = kCorpusFormat;
  j["property"] = e.property;
  j["case"] = nlohmann::ordered_json::parse(CaseToJsonLine(e.c));
  if (e.verdict) j["verdict"] = VerdictName(*e.verdict);
  if (!e.outcome.empty()) j["outcome"] = e.outcome;
  if (!e.framework.empty()) j["framework"] = e.framework;
  if (!e.note.empty()) j["note"] = e.note;
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

CorpusEntry EntryFromResult(const CaseResult& r, const std::string& framework,
                            const std::string& note) {
  CorpusEntry e;
  e.c = r.c;
  e.property = r.property;
  e.verdict = r.verdict;
  e.outcome = DescribeOutcome(r.outcome);
  e.framework = framework;
  e.note = note;
  return e;
}

std::string EntryFileName(const ConvCase& c, const std::string& property) {
  char name[32];
  std::snprintf(name, sizeof name, "%016llx.json",
                static_cast<unsigned long long>(StableCaseHash(c, property)));
  return name;
}

SaveStatus SaveEntry(const std::string& dir, const CorpusEntry& e, std::string* detail) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  const std::string path = dir + "/" + EntryFileName(e.c, e.property);
  std::string error;
  if (report::WriteFileAtomically(path, CorpusEntryText(e), &error, report::IfExists::kKeep)) {
    *detail = path;
    return SaveStatus::kSaved;
  }
  *detail = error == "exists" ? path : error;
  return error == "exists" ? SaveStatus::kDuplicate : SaveStatus::kFailed;
}

std::vector<std::string> ListFiles(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file(ec) || name.empty() || name[0] == '.') continue;
    if (name.size() < suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
    out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::string> ReadKnownExamples(const std::string& dir,
                                             std::vector<KnownExample>* out) {
  for (const std::string& file : ListFiles(dir, ".json")) {
    std::string text, error;
    if (!ReadTextFile(file, &text, &error)) return error;
    const json j = ParseBoundedJson(text, &error);
    if (j.is_discarded()) return file + ": " + error;
    for (const json& rec : j.is_array() ? j : json::array({j})) {
      if (!rec.is_object()) return file + ": expected a JSON object per deviation";
      const char* key = rec.contains("case") ? "case" : "example";
      if (!rec.contains(key) || !rec.at(key).is_object()) continue;
      CaseParseResult c = CaseFromJson(rec.at(key));
      if (!c.ok()) return file + ": " + key + "." + c.error;
      const json id = rec.value("id", json());
      json property = rec.value("property", json());
      // A record may list several properties; its example demonstrates the first.
      if (property.is_array() && !property.empty()) property = property.front();
      if (!id.is_string() || !property.is_string()) return file + ": id/property: expected strings";
      out->push_back({id.get<std::string>(), *c.value, property.get<std::string>(), file});
    }
  }
  return std::nullopt;
}

}  // namespace convcheck
