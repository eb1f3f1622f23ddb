// `convcheck replay [DIR...]`: replays the corpus deterministically (issue #5). Each case is
// classified as agree, divergence (new), xfail (a known deviation, still present) or XPASS (a
// known deviation's exact case now agrees: the bug looks fixed, said loudly).
#include <filesystem>
#include <iostream>

#include "generators/byte_decoder.h"
#include "generators/conv_case_gen.h"
#include "harness/cli/command.h"
#include "harness/cli/options.h"
#include "harness/corpus.h"
#include "harness/isolation/cli_flags.h"
#include "harness/known_deviations.h"
#include "harness/property.h"
#include "harness/reproducer.h"
#include "oracles/io/case_json.h"

namespace convcheck::cli {
namespace {

namespace fs = std::filesystem;

struct ReplayArgs {
  std::vector<std::string> dirs;
  std::string corpus = DefaultCorpusDir();
  IsolationArgs isolation;
  uint64_t memory_limit_bytes = uint64_t{1} << 30;
  bool update_seeds = false;
  bool save_failures = false;
};

struct Item {
  ConvCase c;
  std::string property;
  std::string source;
  std::string known_id;  // set for a known deviation's exact case
};

struct Tally {
  int64_t agree = 0, divergence = 0, xfail = 0, xpass = 0, skipped = 0;
  int64_t undecodable = 0, unreadable = 0;
};

bool IsCorpusRoot(const fs::path& p) {
  return fs::is_directory(p / "seeds") || fs::is_directory(p / "regressions");
}

void CollectFuzzInputs(const fs::path& dir, std::vector<Item>* items, Tally* t) {
  for (const std::string& file : ListFiles(dir.string(), "")) {
    std::string bytes;
    std::optional<ConvCase> c;
    if (ReadWholeFile(file, &bytes)) c = DecodeCase(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    if (c) items->push_back({*c, "ShapeAgrees", file, ""});
    else ++t->undecodable;
  }
}

void CollectEntries(const fs::path& dir, std::vector<Item>* items, Tally* t) {
  for (const std::string& file : ListFiles(dir.string(), ".json")) {
    std::string text;
    const EntryParseResult e = ReadWholeFile(file, &text) ? ParseCorpusEntry(text) : EntryParseResult{std::nullopt, "cannot read"};
    if (!e.ok()) {
      std::cerr << "convcheck replay: " << file << ": " << e.error << "\n";
      ++t->unreadable;
      continue;
    }
    items->push_back({e.value->c, e.value->property, file, ""});
  }
}

// One folder of the corpus; its name says what it holds (corpus.h describes the layout).
void Collect(const fs::path& dir, std::vector<Item>* items, Tally* t) {
  const std::string name = dir.filename().string();
  if (IsCorpusRoot(dir)) {
    for (const char* sub : {"seeds", "regressions", "known"}) Collect(dir / sub, items, t);
    Collect(dir / "fuzz" / "conv_diff_fuzzer", items, t);
  } else if (!fs::is_directory(dir)) {
    return;
  } else if (name == "known") {
    std::vector<KnownExample> examples;
    if (auto err = ReadKnownExamples(dir.string(), &examples)) {
      std::cerr << "convcheck replay: " << *err << "\n";
      ++t->unreadable;
    }
    for (KnownExample& k : examples) items->push_back({k.c, k.property, k.source, k.id});
  } else if (name == "case_parser_fuzzer") {
    // Parser inputs are not cases; case_parser_fuzzer_replay runs them (ctest).
  } else if (dir.parent_path().filename() == "fuzz" || name.size() > 7 && name.rfind("_fuzzer") == name.size() - 7) {
    CollectFuzzInputs(dir, items, t);
  } else {
    CollectEntries(dir, items, t);
  }
}

bool IsShapeProperty(const std::string& p) { return p == "ShapeAgrees" || p == "ValidityAgrees"; }

// Judges every item: shape/validity items in one batch (parallel and isolated), others
// through their registered property.
std::vector<CaseResult> Check(const std::vector<Item>& items, Backend& backend, uint64_t limit) {
  std::vector<ConvCase> batch;
  for (const Item& it : items) {
    if (IsShapeProperty(it.property)) batch.push_back(it.c);
  }
  std::vector<BackendOutcome> outcomes = backend.RunBatch(batch);
  std::vector<CaseResult> results;
  size_t next = 0;
  for (const Item& it : items) {
    if (IsShapeProperty(it.property)) {
      results.push_back(Judge(it.c, OutputShape(it.c), std::move(outcomes[next++]), limit));
      continue;
    }
    std::optional<CaseResult> r;
    for (const auto& p : PropertyRegistry()) {
      if (p->Name() == it.property) r = p->Check(it.c, backend);
    }
    if (!r) {
      r = Judge(it.c, OutputShape(it.c), BackendOutcome::Skipped("property " + it.property + " is not built in"), limit);
    }
    results.push_back(std::move(*r));
  }
  return results;
}

// Tallies one replayed case; returns true for a new divergence.
bool Classify(const Item& it, const CaseResult& r, const KnownDeviations& known, Tally* t) {
  const bool failed = !IsAgreement(r.verdict) && r.verdict != Verdict::kSkipped;
  const auto match = failed ? known.Match(r) : std::nullopt;
  if (!it.known_id.empty() && !failed && r.verdict != Verdict::kSkipped) {
    ++t->xpass;
    std::cout << "XPASS " << it.known_id << " (" << it.source << "): the exact case now agrees —"
              << " the known deviation looks FIXED; update or retire the record\n  case: "
              << CaseToJsonLine(r.c) << "\n";
  } else if (r.verdict == Verdict::kSkipped) {
    ++t->skipped;
  } else if (!failed) {
    ++t->agree;
  } else if (match) {
    ++t->xfail;
  } else {
    ++t->divergence;
    std::cout << ReproducerBlock(r) << "(from " << it.source << ")\n\n";
    return true;
  }
  return false;
}

// The fuzz targets' seed inputs: the worked examples as decoder bytes and as case JSON lines.
int WriteFuzzSeeds(const std::string& corpus) {
  const CorpusLayout layout{corpus};
  for (const char* target : {"conv_diff_fuzzer", "case_parser_fuzzer"}) {
    fs::create_directories(layout.fuzz(target));
    const bool bytes = std::string(target) == "conv_diff_fuzzer";
    for (const ConvCase& c : WorkedExamples()) {
      const std::string name = "seed-" + EntryFileName(c, target);
      const std::string path = layout.fuzz(target) + "/" + name.substr(0, name.size() - 5);
      std::string error;
      if (!WriteFileAtomically(path, bytes ? EncodeCase(c) : CaseToJsonLine(c), true, &error)) {
        std::cerr << "convcheck replay: " << error << "\n";
        return kUsage;
      }
    }
  }
  std::cout << "wrote the fuzz seed inputs into " << corpus << "/fuzz\n";
  return kOk;
}

int WriteSeeds(const std::string& corpus) {
  for (const ConvCase& c : WorkedExamples()) {
    CorpusEntry e;
    e.c = c;
    e.note = "worked example from the documentation (generators/conv_case_gen.cpp WorkedExamples)";
    std::string error;
    const std::string path = CorpusLayout{corpus}.seeds() + "/" + EntryFileName(c, e.property);
    fs::create_directories(CorpusLayout{corpus}.seeds());
    if (!WriteFileAtomically(path, CorpusEntryText(e), /*replace=*/true, &error)) {
      std::cerr << "convcheck replay: " << error << "\n";
      return kUsage;
    }
  }
  std::cout << "wrote " << WorkedExamples().size() << " seeds into " << CorpusLayout{corpus}.seeds() << "\n";
  return WriteFuzzSeeds(corpus);
}

int RunReplay(const ReplayArgs& args) {
  if (args.update_seeds) return WriteSeeds(args.corpus);
  std::unique_ptr<Backend> backend = MakeSelectedBackend(args.isolation);
  if (!backend) {
    std::cerr << "convcheck replay: built without LibTorch (CONVCHECK_WITH_TORCH=OFF): no backend\n";
    return kUsage;
  }
  KnownDeviations known;
  if (auto err = KnownDeviations::Load(CorpusLayout{args.corpus}.known(), backend->Name(), backend->Version(), &known)) {
    std::cerr << "convcheck replay: " << *err << "\n";
    return kUsage;
  }
  Tally t;
  std::vector<Item> items;
  for (const std::string& d : args.dirs.empty() ? std::vector<std::string>{args.corpus} : args.dirs) {
    if (!fs::exists(d)) {
      std::cerr << "convcheck replay: " << d << ": no such folder\n";
      return kUsage;
    }
    Collect(fs::path(d).lexically_normal(), &items, &t);
  }
  const std::vector<CaseResult> results = Check(items, *backend, args.memory_limit_bytes);
  for (size_t i = 0; i < items.size(); ++i) {
    if (!Classify(items[i], results[i], known, &t) || !args.save_failures) continue;
    std::string detail;
    const CorpusEntry e = EntryFromResult(results[i], backend->Name() + " " + backend->Version(),
                                          "found by replaying " + items[i].source);
    if (SaveEntry(CorpusLayout{args.corpus}.regressions(), e, &detail) == SaveStatus::kSaved) {
      std::cout << "saved " << detail << "\n";
    }
  }
  std::cout << "replay: " << items.size() << " cases against " << backend->Name() << " "
            << backend->Version() << ": " << t.agree << " agree, " << t.divergence
            << " divergence, " << t.xfail << " xfail, " << t.xpass << " XPASS, " << t.skipped
            << " skipped; " << t.undecodable << " undecodable fuzz inputs, " << t.unreadable
            << " unreadable files\n";
  if (t.divergence > 0 || t.xpass > 0) return kFound;
  return t.unreadable > 0 ? kUsage : kOk;
}

void Register(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ReplayArgs>();
  CLI::App* cmd = app.add_subcommand(
      "replay",
      "Replay the corpus (default: the whole corpus folder: seeds/, regressions/, known/,\n"
      "fuzz/conv_diff_fuzzer/) through the oracle and LibTorch. Prints a reproducer for each\n"
      "new divergence and XPASS for a known deviation that now agrees. Exit 0 when everything\n"
      "agrees or is a known deviation, 1 on a divergence or an XPASS, 2 on unreadable input.\n"
      "Example: convcheck replay corpus/regressions");
  cmd->add_option("dirs", args->dirs, "corpus folders (a corpus root, or seeds/, regressions/, known/, fuzz/<target>/)");
  cmd->add_option("--corpus", args->corpus, "corpus root (known deviations in <corpus>/known)")->capture_default_str();
  AddIsolationFlags(cmd, &args->isolation);
  cmd->add_flag("--update-seeds", args->update_seeds, "rewrite <corpus>/seeds from the documentation's worked examples, then exit");
  cmd->add_flag("--save-failures", args->save_failures, "save each new divergence into <corpus>/regressions (e.g. fuzz findings)");
  cmd->callback([args, exit_code] { *exit_code = RunReplay(*args); });
}

CONVCHECK_REGISTER_COMMAND(Register);

}  // namespace
}  // namespace convcheck::cli
