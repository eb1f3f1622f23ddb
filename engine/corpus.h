// The corpus on disk (issue #5): data with a format version.
//   seeds/        the documentation's worked examples (must agree)
//   regressions/  shrunk failures, one file per (case, property), named by a stable hash
//   known/        known deviations (harness/known_deviations.h), optionally with an exact "case"
//   fuzz/<target>/ libFuzzer corpora (raw bytes)
// Entry files in seeds/ and regressions/ are one JSON object:
//   {"format": 1, "property": "ValidityAgrees", "case": {...}, "verdict": "crash",
//    "outcome": "crashed: SIGSEGV", "framework": "libtorch 1.13.1", "note": "..."}
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "case_io/case_hash.h"
#include "properties/verdict.h"

namespace convcheck {

constexpr int kCorpusFormat = 1;

struct CorpusLayout {
  std::string root;
  std::string seeds() const { return root + "/seeds"; }
  std::string regressions() const { return root + "/regressions"; }
  std::string known() const { return root + "/known"; }
  std::string fuzz(const std::string& target) const { return root + "/fuzz/" + target; }
};

struct CorpusEntry {
  ConvCase c;
  std::string property = "ShapeAgrees";  // the property replay checks
  std::optional<Verdict> verdict;        // the failing verdict when it was saved
  std::string outcome;                   // what the backend did then ("crashed: SIGSEGV")
  std::string framework;                 // "libtorch 1.13.1"
  std::string note;                      // where it came from
};

struct EntryParseResult {
  std::optional<CorpusEntry> value;
  std::string error;  // one line naming the key ("case.kernel: expected 2 values, got 3")
  bool ok() const { return value.has_value(); }
};

// Parses an entry file's text. Never throws; unknown keys, a wrong format version and a
// malformed case are errors naming the key.
EntryParseResult ParseCorpusEntry(const std::string& text);
// The entry as pretty JSON text (keys in a fixed order), ending in a newline.
std::string CorpusEntryText(const CorpusEntry& e);
// The entry that records a failing result.
CorpusEntry EntryFromResult(const CaseResult& r, const std::string& framework,
                            const std::string& note);

// "3f1c0a9b12d4e5f6.json": StableCaseHash(c, property) (case_io/case_hash.h) in hex.
std::string EntryFileName(const ConvCase& c, const std::string& property);

enum class SaveStatus { kSaved, kDuplicate, kFailed };
// Writes `e` into `dir` (created if needed) as EntryFileName(...), atomically (temp file, then
// link), never replacing an existing file. `detail` receives the path, or the error.
SaveStatus SaveEntry(const std::string& dir, const CorpusEntry& e, std::string* detail);

// Regular files in `dir` whose name ends in `suffix` ("" = all; hidden files skipped), sorted.
std::vector<std::string> ListFiles(const std::string& dir, const std::string& suffix);

// A known-deviation record that carries an exact case ("case", or "example" when it is a case
// object): replay checks that the deviation is still present.
struct KnownExample {
  std::string id;
  ConvCase c;
  std::string property;
  std::string source;
};
// Reads the exact cases of every record in the known/ files under `dir`. Returns an error line
// (file and key) on malformed JSON; records without a case are skipped.
std::optional<std::string> ReadKnownExamples(const std::string& dir,
                                             std::vector<KnownExample>* out);

}  // namespace convcheck
