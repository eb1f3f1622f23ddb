// `convcheck replay [PATH...]`: the corpus through the engine, deterministically. Each check is
// agree, divergence (new), xfail (a known deviation, still present) or XPASS (a known
// deviation's exact case now agrees: the bug looks fixed, said loudly).
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>
#include <sstream>

#include "generators/byte_decoder.h"
#include "generators/conv_case_gen.h"
#include "case_io/case_json.h"
#include "case_io/text_file.h"
#include "cli/backend_loop.h"
#include "cli/command.h"
#include "cli/engine_flags.h"
#include "cli/json_flag.h"
#include "engine/corpus.h"
#include "reports/atomic_file.h"
#include "engine/data_dirs.h"
#include "engine/case_lines.h"
#include "engine/engine.h"
#include "engine/interrupt.h"
#include "properties/property_table.h"

namespace convcheck::cli {
namespace {

namespace fs = std::filesystem;

struct ReplayArgs {
  std::vector<std::string> dirs;
  EngineArgs engine;
  bool update_seeds = false;
  bool save_failures = false;
  JsonFlag json;  // the report JSON (--report), or on stdout
};

bool IsShapeProperty(const std::string& p) {
  const auto& base = BasePropertyNames();
  return std::find(base.begin(), base.end(), p) != base.end();
}

bool IsCorpusRoot(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p / "seeds", ec) || fs::is_directory(p / "regressions", ec);
}

struct Unreadable {
  int64_t undecodable = 0, files = 0;
};

CaseItem ItemOf(const ConvCase& c, const std::string& property, const std::string& source) {
  CaseItem item;
  item.c = c;
  item.source = source;
  if (!IsShapeProperty(property)) item.properties = {property};
  return item;
}

void CollectFuzzInputs(const fs::path& dir, std::vector<CaseItem>* items, Unreadable* t) {
  for (const std::string& file : ListFiles(dir.string(), "")) {
    std::string bytes, error;
    std::optional<ConvCase> c;
    if (ReadTextFile(file, &bytes, &error)) c = DecodeCase(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    if (c) items->push_back(ItemOf(*c, "ShapeAgrees", file));
    else ++t->undecodable;
  }
}

void CollectEntry(const std::string& file, std::vector<CaseItem>* items, Unreadable* t) {
  std::string text, error;
  const EntryParseResult e = ReadTextFile(file, &text, &error) ? ParseCorpusEntry(text) : EntryParseResult{std::nullopt, error};
  if (!e.ok()) {
    std::cerr << "convcheck replay: " << file << ": " << e.error << "\n";
    ++t->files;
    return;
  }
  items->push_back(ItemOf(e.value->c, e.value->property, file));
}

// A .jsonl file of cases, as `convcheck check` reads it.
void CollectCaseLines(const std::string& file, std::vector<CaseItem>* items, Unreadable* t) {
  std::string text, error;
  if (!ReadTextFile(file, &text, &error)) {
    std::cerr << "convcheck replay: " << error << "\n";
    ++t->files;
    return;
  }
  std::vector<std::string> errors;
  for (CaseItem& item : ReadCaseLines(file, text, &errors)) items->push_back(std::move(item));
  for (const std::string& e : errors) std::cerr << e << "\n";
  t->files += static_cast<int64_t>(errors.size());
}

void CollectKnown(const fs::path& dir, std::vector<CaseItem>* items, Unreadable* t) {
  std::vector<KnownExample> examples;
  if (auto err = ReadKnownExamples(dir.string(), &examples)) {
    std::cerr << "convcheck replay: " << *err << "\n";
    ++t->files;
  }
  for (KnownExample& k : examples) {
    CaseItem item = ItemOf(k.c, k.property, k.source);
    item.known_id = k.id;
    item.known_property = k.property;
    items->push_back(std::move(item));
  }
}

// One folder of the corpus (or one entry file); its name says what it holds (engine/corpus.h).
void Collect(const fs::path& path, std::vector<CaseItem>* items, Unreadable* t) {
  std::error_code ec;
  const std::string name = path.filename().string();
  if (fs::is_regular_file(path, ec) && path.extension() == ".jsonl") {
    CollectCaseLines(path.string(), items, t);
  } else if (fs::is_regular_file(path, ec)) {
    CollectEntry(path.string(), items, t);
  } else if (IsCorpusRoot(path)) {
    for (const char* sub : {"seeds", "regressions", "known"}) Collect(path / sub, items, t);
    Collect(path / "fuzz" / "conv_diff_fuzzer", items, t);
  } else if (!fs::is_directory(path, ec)) {
    return;
  } else if (name == "known") {
    CollectKnown(path, items, t);
  } else if (name == "case_parser_fuzzer") {
    // Parser inputs are not cases; case_parser_fuzzer_replay runs them (ctest).
  } else if (path.parent_path().filename() == "fuzz" || (name.size() > 7 && name.rfind("_fuzzer") == name.size() - 7)) {
    CollectFuzzInputs(path, items, t);
  } else {
    for (const std::string& file : ListFiles(path.string(), ".json")) CollectEntry(file, items, t);
  }
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
      if (!report::WriteFileAtomically(path, bytes ? EncodeCase(c) : CaseToJsonLine(c), &error)) {
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
    if (!report::WriteFileAtomically(path, CorpusEntryText(e), &error)) {
      std::cerr << "convcheck replay: " << error << "\n";
      return kUsage;
    }
  }
  std::cout << "wrote " << WorkedExamples().size() << " seeds into " << CorpusLayout{corpus}.seeds() << "\n";
  return WriteFuzzSeeds(corpus);
}

int RunReplay(ReplayArgs& args) {
  std::string error;
  if (!FinishEngineArgs(&args.engine, &error) ||
      !JsonAsReport(args.json, &args.engine.session.outputs.json, &error)) {
    std::cerr << "convcheck replay: " << error << "\n";
    return kUsage;
  }
  if (args.update_seeds) {
    const std::optional<std::string> corpus = ResolveCorpus(args.engine.session.corpus_flag, &error);
    if (!corpus || corpus->empty()) {
      std::cerr << "convcheck replay: --update-seeds needs a corpus: " << (corpus ? "give --corpus DIR" : error) << "\n";
      return kUsage;
    }
    return WriteSeeds(*corpus);
  }
  std::vector<std::string> paths = args.dirs;
  if (paths.empty()) {
    const std::optional<std::string> corpus = ResolveCorpus(args.engine.session.corpus_flag, &error);
    if (!corpus || corpus->empty()) {
      std::cerr << "convcheck replay: " << (corpus ? "no corpus here: name folders or files to replay, or --corpus DIR" : error) << "\n";
      return kUsage;
    }
    paths = {*corpus};
  }
  Unreadable bad;
  std::vector<CaseItem> items;
  for (const std::string& d : paths) {
    std::error_code ec;
    if (!fs::exists(d, ec)) {
      std::cerr << "convcheck replay: " << d << ": no such file or folder\n";
      return kUsage;
    }
    Collect(fs::path(d).lexically_normal(), &items, &bad);
  }
  if (bad.files > 0) return kUsage;
  if (items.empty()) {
    std::cerr << "convcheck replay: no cases found in " << JoinNames(paths) << " (" << bad.undecodable
              << " undecodable fuzz inputs)\n";
    return kUsage;
  }
  // The sampling key: a .jsonl line keeps its line number (as in check), others their position.
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].index == 0) items[i].index = static_cast<int64_t>(i);
  }
  // A replay re-finds what the corpus already holds; it saves only when asked.
  args.engine.session.save = args.engine.session.save && args.save_failures;
  InstallInterruptHandler();
  // With the report on stdout, the text goes to stderr.
  std::ostream& text = args.json.ToStdout() ? std::cerr : std::cout;
  return ForEachBackend(args.engine, "replay", text,
                        [&](EngineArgs& engine_args, Backend& backend, Session& session, const NumericSetup& numeric) {
    // A known deviation's example demonstrates it only where the record applies (its framework,
    // version range and CPU): elsewhere its agreeing would read as a false XPASS.
    std::set<std::string> applicable;
    for (const KnownDeviation& d : session.known().records()) applicable.insert(d.id);
    std::vector<CaseItem> mine;
    for (const CaseItem& item : items) {
      if (item.known_id.empty() || applicable.count(item.known_id)) mine.push_back(item);
    }
    Engine engine(engine_args.config, backend, session.known(), numeric, text);
    engine.JudgeBatch(mine);
    text << "replay: " << mine.size() << " cases (" << bad.undecodable << " undecodable fuzz inputs skipped";
    if (mine.size() < items.size()) {
      text << "; " << items.size() - mine.size() << " examples of known deviations that do not apply to "
           << backend.Name() << " " << backend.Version() << " on this CPU left out";
    }
    text << ")\n";
    return session.Conclude(engine.Finish(InterruptRequested()), engine_args.config, backend);
  });
}

void Register(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ReplayArgs>();
  CLI::App* cmd = app.add_subcommand(
      "replay",
      "Replay corpus folders or entry files (default: the corpus: seeds/, regressions/, known/,\n"
      "fuzz/conv_diff_fuzzer/) through the same engine as convcheck run: isolation, every\n"
      "property (the one an entry was saved for always), known deviations, reports. Prints a\n"
      "reproducer for each new divergence and XPASS for a known deviation that now agrees.\n"
      "Exit 0 when everything agrees or is a known deviation, 1 on a divergence or an XPASS,\n"
      "2 on unreadable input or no cases, 3 when a requested check never ran.\n"
      "Example: convcheck replay corpus");
  cmd->add_option("paths", args->dirs, "corpus folders (a corpus root, or seeds/, regressions/, known/, fuzz/<target>/), entry files (.json) or case files (.jsonl); default: the corpus");
  cmd->add_flag("--update-seeds", args->update_seeds, "rewrite <corpus>/seeds from the documentation's worked examples, then exit");
  cmd->add_flag("--save-failures", args->save_failures, "save each new divergence into <corpus>/regressions (e.g. fuzz findings)");
  AddEngineFlags(cmd, &args->engine);
  AddJsonFlag(cmd, &args->json, "the report JSON, as --report writes it,");
  cmd->callback([args, exit_code] { *exit_code = RunReplay(*args); });
}

CONVCHECK_REGISTER_COMMAND(Register);

}  // namespace
}  // namespace convcheck::cli
