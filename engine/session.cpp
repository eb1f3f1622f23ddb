#include "engine/session.h"

#include <map>

#include "engine/corpus.h"
#include "engine/data_dirs.h"
#include "engine/library_output.h"
#include "engine/run_report.h"
#include "properties/property_table.h"
#include "reports/summarize.h"

namespace convcheck {

Session::Session(SessionOptions options, std::ostream& out, std::ostream& err)
    : options_(std::move(options)), out_(out), err_(err), started_(std::chrono::system_clock::now()) {}

bool Session::Open(Backend& backend) {
  std::string error;
  const std::optional<std::string> corpus = ResolveCorpus(options_.corpus_flag, &error);
  if (!corpus) {
    err_ << "convcheck " << options_.command << ": " << error << "\n";
    return false;
  }
  corpus_ = *corpus;
  const std::string known_dir = KnownDirFor(corpus_);
  if (!known_dir.empty()) {
    if (auto err = KnownDeviations::Load(known_dir, backend.Name(), backend.Version(), &known_)) {
      err_ << "convcheck " << options_.command << ": " << *err << "\n";
      return false;
    }
  }
  // Each worker kind gets the limits of the hangs of the properties it answers; both read one
  // copy of the records, which the limits may outlive this session with.
  const auto known = std::make_shared<const KnownDeviations>(known_);
  if (options_.known_hangs) {
    options_.known_hangs->Set([known](const ConvCase& c) {
      return known->TimeLimitFor(c, [](const std::string& p) { return !IsNumericProperty(p); });
    });
  }
  if (options_.numeric_known_hangs) {
    options_.numeric_known_hangs->Set([known](const ConvCase& c) {
      return known->TimeLimitFor(c, [](const std::string& p) { return IsNumericProperty(p); });
    });
  }
  out_ << "convcheck " << options_.command << ": " << backend.Name() << " " << backend.Version()
       << ", " << known_.records().size() << " known deviations loaded from "
       << (known_dir.empty() ? "nowhere (no corpus/known here and none shipped with the binary)" : known_dir)
       << "\n";
  return true;
}

void Session::SaveDivergences(const RunSummary& s, const Backend& backend) {
  if (!options_.save || s.divergences.empty()) return;
  if (corpus_.empty()) {
    out_ << "not saved: " << s.divergences.size()
         << " divergences (no corpus: give --corpus DIR, or run where ./corpus exists)\n";
    return;
  }
  const std::string dir = CorpusLayout{corpus_}.regressions();
  // One regression per signature (its smallest case): 32 cases of one bug are one entry.
  std::map<std::string, const CaseResult*> smallest;
  for (const CaseResult& r : s.divergences) {
    const CaseResult*& best = smallest[DivergenceSignature(r)];
    if (!best || report::MinimalFirst(r.c, best->c)) best = &r;
  }
  int saved = 0, duplicate = 0;
  for (const auto& [signature, result] : smallest) {
    const CaseResult& r = *result;
    std::string detail;
    const CorpusEntry e = EntryFromResult(r, backend.Name() + " " + backend.Version(),
                                          "found by convcheck " + options_.command);
    const SaveStatus status = SaveEntry(dir, e, &detail);
    if (status == SaveStatus::kFailed) err_ << "convcheck " << options_.command << ": cannot save regression: " << detail << "\n";
    saved += status == SaveStatus::kSaved;
    duplicate += status == SaveStatus::kDuplicate;
  }
  out_ << "saved " << saved << " new regressions into " << dir << " (one per signature; " << duplicate
       << " already there)\n";
}

int Session::Conclude(const RunSummary& summary, const RunConfig& config, Backend& backend) {
  PrintSummary(summary, out_);
  if (options_.library_output) PrintLibraryOutput(*options_.library_output, options_.verbose, out_);
  int code = RunExitCode(summary, config, err_);
  if (options_.outputs.any()) {
    report::Report rep = BuildRunReport(summary, config, MakeRunContext(backend, started_), known_);
    if (options_.library_output) rep.library_output = LibraryLines(*options_.library_output);
    std::string error;
    if (!report::WriteOutputs(rep, options_.outputs, &error)) {
      err_ << "convcheck " << options_.command << ": " << error << "\n";
      code = kRunUsage;
    }
  }
  SaveDivergences(summary, backend);
  return code;
}

}  // namespace convcheck
