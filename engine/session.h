// What every engine command does around the engine: find the corpus and the known deviations,
// then, after the cases, print the summary, write the reports, save new regressions and choose
// the exit code. `run`, `check` and `replay` share it, so they report, save and exit alike.
#pragma once

#include <chrono>
#include <memory>
#include <ostream>
#include <string>

#include "backends/backend.h"
#include "backends/isolation/captured_output.h"
#include "backends/isolation/case_time_limit.h"
#include "engine/run_config.h"
#include "engine/run_summary.h"
#include "properties/known_deviations.h"
#include "reports/outputs.h"

namespace convcheck {

struct SessionOptions {
  std::string command;        // "run": the prefix of every error line
  std::string corpus_flag;    // --corpus as given ("" = ./corpus when present, else none)
  bool save = true;           // save new regressions into <corpus>/regressions
  report::OutputPaths outputs;
  // What the framework printed in the workers (IsolationOptions::captured); null without
  // isolation. `verbose` prints each distinct line instead of a count.
  std::shared_ptr<const CapturedOutput> library_output;
  bool verbose = false;
  // The limits for families known to hang: the isolated backend's (IsolationOptions::
  // known_hangs), from the records of the properties its workers answer, and the numeric
  // worker's, from those of the numeric properties. Open fills them from the known deviations
  // it loads; null leaves every limit as it is.
  std::shared_ptr<CaseTimeLimit> known_hangs;
  std::shared_ptr<CaseTimeLimit> numeric_known_hangs;
};

class Session {
 public:
  Session(SessionOptions options, std::ostream& out, std::ostream& err);
  // Resolves the corpus and loads the known deviations for `backend`. False after printing
  // one line to err (a --corpus that is not a folder, a malformed record).
  bool Open(Backend& backend);
  const KnownDeviations& known() const { return known_; }
  const std::string& corpus() const { return corpus_; }
  // Prints the summary, writes every requested report (also after Ctrl-C, marked incomplete),
  // saves new minimized divergences and returns the exit code (RunExitCode, or 2 when a report
  // cannot be written).
  int Conclude(const RunSummary& summary, const RunConfig& config, Backend& backend);

 private:
  void SaveDivergences(const RunSummary& s, const Backend& backend);

  SessionOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  KnownDeviations known_;
  std::string corpus_;
  std::chrono::system_clock::time_point started_;
};

}  // namespace convcheck
