// The corpus on disk (issue #5): entry files round-trip, names are a stable hash of case and
// property, saving is atomic and never duplicates, and the committed seeds are the
// documentation's worked examples.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "generators/conv_case_gen.h"
#include "engine/corpus.h"
#include "reports/atomic_file.h"
#include "case_io/case_json.h"
#include "case_io/text_file.h"

namespace convcheck {
namespace {

namespace fs = std::filesystem;

// A fresh folder under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/convcheck-corpus-XXXXXX";
    path_ = mkdtemp(pattern);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

RC_GTEST_PROP(CorpusEntry, TextRoundTrips, ()) {
  CorpusEntry e;
  e.c = *MixedConvCase();
  e.property = *rc::gen::element<std::string>("ShapeAgrees", "ValidityAgrees", "RoundTripRestoresInput");
  e.verdict = *rc::gen::element(Verdict::kCrash, Verdict::kShapeMismatch, Verdict::kTimeout);
  e.outcome = "crashed: SIGSEGV";
  e.note = *rc::gen::arbitrary<std::string>();
  const std::string text = CorpusEntryText(e);
  const EntryParseResult back = ParseCorpusEntry(text);
  RC_ASSERT(back.ok());
  RC_ASSERT(back.value->c == e.c);
  RC_ASSERT(back.value->property == e.property);
  RC_ASSERT(back.value->verdict == e.verdict);
  RC_ASSERT(CorpusEntryText(*back.value) == text);
}

TEST(CorpusEntry, MalformedEntriesNameTheKey) {
  const std::string good_case = CaseToJsonLine(WorkedExamples()[0]);
  const std::pair<std::string, std::string> cases[] = {
      {"[1]", "entry: expected a JSON object"},
      {"{\"format\": 2, \"case\": " + good_case + "}", "format: expected 1"},
      {"{\"format\": 1}", "case: required key is missing"},
      {"{\"format\": 1, \"case\": " + good_case + ", \"colour\": 1}", "colour: unknown key"},
      {"{\"format\": 1, \"case\": {\"op\": \"conv9d\"}}", "case.op"},
      {"{\"format\": 1, \"case\": " + good_case + ", \"verdict\": \"meh\"}", "verdict: unknown value"},
      {"{\"format\": 1, \"case\": " + good_case + ", \"note\": 3}", "note: expected a string"},
      {"{\"format\": 1,", "entry: not valid JSON"},
  };
  for (const auto& [text, want] : cases) {
    const EntryParseResult r = ParseCorpusEntry(text);
    EXPECT_FALSE(r.ok()) << text;
    EXPECT_NE(r.error.find(want), std::string::npos) << text << "\nerror: " << r.error;
  }
}

TEST(CorpusEntry, FileNameIsAStableHashOfCaseAndProperty) {
  const ConvCase c = WorkedExamples()[0];
  // Golden: the name must not change between runs, machines or releases (it deduplicates).
  EXPECT_EQ(EntryFileName(c, "ShapeAgrees"), "2eb82aa53ea6d859.json") << CaseToJsonLine(c);
  EXPECT_NE(EntryFileName(c, "ShapeAgrees"), EntryFileName(c, "ValidityAgrees"));
  ConvCase other = c;
  other.bias = !other.bias;
  EXPECT_NE(EntryFileName(c, "ShapeAgrees"), EntryFileName(other, "ShapeAgrees"));
}

TEST(CorpusSave, SavesOnceAtomicallyAndNeverDuplicates) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/regressions";
  CorpusEntry e;
  e.c = WorkedExamples()[3];
  e.property = "ValidityAgrees";
  e.verdict = Verdict::kCrash;
  std::string detail;
  ASSERT_EQ(SaveEntry(dir, e, &detail), SaveStatus::kSaved) << detail;
  EXPECT_EQ(detail, dir + "/" + EntryFileName(e.c, e.property));
  e.note = "found again by another run";
  EXPECT_EQ(SaveEntry(dir, e, &detail), SaveStatus::kDuplicate) << detail;
  const std::vector<std::string> files = ListFiles(dir, "");
  ASSERT_EQ(files.size(), 1u) << "a duplicate or a temp file was left behind";
  std::string text;
  std::string error;
  ASSERT_TRUE(ReadTextFile(files[0], &text, &error)) << error;
  const EntryParseResult back = ParseCorpusEntry(text);
  ASSERT_TRUE(back.ok()) << back.error;
  EXPECT_TRUE(back.value->note.empty()) << "the first save must be kept, not replaced";
  EXPECT_TRUE(fs::directory_iterator(dir) != fs::directory_iterator());
  for (const auto& f : fs::directory_iterator(dir)) {
    EXPECT_NE(f.path().filename().string()[0], '.') << "a temp file was left: " << f.path();
  }
}

TEST(CorpusSave, ReplaceOverwritesAndReportsUnwritableFolders) {
  TempDir tmp;
  std::string error;
  const std::string path = tmp.path() + "/a.json";
  ASSERT_TRUE(report::WriteFileAtomically(path, "one", &error)) << error;
  ASSERT_TRUE(report::WriteFileAtomically(path, "two", &error)) << error;
  std::string text;
  ASSERT_TRUE(ReadTextFile(path, &text, &error)) << error;
  EXPECT_EQ(text, "two");
  EXPECT_FALSE(report::WriteFileAtomically(tmp.path() + "/missing/dir/a.json", "x", &error));
  EXPECT_NE(error.find("cannot create"), std::string::npos) << error;
}

TEST(KnownExamples, RecordsWithAnExactCaseAreReplayable) {
  TempDir tmp;
  const std::string c = CaseToJsonLine(WorkedExamples()[1]);
  WriteText(tmp.path() + "/a.json",
            "[{\"format\": 1, \"id\": \"with-case\", \"property\": \"ShapeAgrees\", \"case\": " + c +
                "}, {\"format\": 1, \"id\": \"family-only\", \"property\": \"ShapeAgrees\"}]");
  std::vector<KnownExample> out;
  ASSERT_FALSE(ReadKnownExamples(tmp.path(), &out).has_value());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].id, "with-case");
  EXPECT_EQ(out[0].c, WorkedExamples()[1]);
  WriteText(tmp.path() + "/b.json", "{\"id\": \"x\", \"property\": \"p\", \"case\": {\"op\": 1}}");
  const auto err = ReadKnownExamples(tmp.path(), &out);
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(err->find("b.json: case.op"), std::string::npos) << *err;
}

TEST(CorpusSeeds, CommittedSeedsAreTheWorkedExamples) {
  const std::string dir = std::string(CONVCHECK_SOURCE_DIR) + "/corpus/seeds";
  std::vector<std::string> want;
  for (const ConvCase& c : WorkedExamples()) want.push_back(dir + "/" + EntryFileName(c, "ShapeAgrees"));
  std::sort(want.begin(), want.end());
  EXPECT_EQ(ListFiles(dir, ".json"), want) << "regenerate with: convcheck replay --update-seeds";
}

}  // namespace
}  // namespace convcheck
