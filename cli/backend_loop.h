// `--backend a,b,c` on run/check/replay: the engine runs once per backend, from here, so the
// engine itself stays single-backend. Each backend gets its own session (its known deviations,
// its regressions, its reports: with several backends each report path gets ".<name>" before
// its extension) and the exit code is the worst of theirs (found > usage > nothing checked).
// A shapes-only backend runs the non-numeric properties unless --properties names others.
#pragma once

#include <algorithm>
#include <functional>
#include <sstream>
#include <iostream>
#include <string>

#include "case_io/text_file.h"
#include "cli/command.h"
#include "cli/engine_flags.h"
#include "reports/atomic_file.h"
#include "reports/report_json.h"
#include "reports/scoreboard.h"

namespace convcheck::cli {

// "report.json" -> "report.onnx.json"; "" stays "".
inline std::string BackendPath(const std::string& path, const std::string& name) {
  if (path.empty()) return path;
  const size_t slash = path.find_last_of('/');
  const size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return path + "." + name;
  return path.substr(0, dot) + "." + name + path.substr(dot);
}

inline int WorseExit(int a, int b) {
  for (int code : {kFound, kUsage, kNothingChecked}) {
    if (a == code || b == code) return code;
  }
  return kOk;
}

// What one backend's turn gets: its engine flags (properties and report paths adjusted), its
// backend, session and numeric setup.
using BackendTurn = std::function<int(EngineArgs& args, Backend& backend, Session& session, const NumericSetup& numeric)>;

// With several backends, --markdown/--html (the un-suffixed paths) get the framework × op ×
// property scoreboard of the per-backend JSON reports. False with one line in `error`.
inline bool WriteScoreboard(const std::vector<std::string>& json_paths, const report::OutputPaths& o, std::string* error) {
  std::vector<report::Report> reports;
  for (const std::string& path : json_paths) {
    std::string text;
    if (!ReadTextFile(path, &text, error)) return false;
    report::ReportParseResult parsed = report::ParseReportText(text);
    if (!parsed.ok()) {
      *error = path + ": " + parsed.error;
      return false;
    }
    reports.push_back(std::move(*parsed.value));
  }
  const report::Scoreboard board = report::BuildScoreboard(reports);
  std::ostringstream md, html;
  report::WriteScoreboardMarkdown(board, md);
  report::WriteScoreboardHtml(board, html);
  return (o.markdown.empty() || report::WriteFileAtomically(o.markdown, md.str(), error)) &&
         (o.html.empty() || report::WriteFileAtomically(o.html, html.str(), error));
}

// Runs `turn` for each --backend; `out` gets the session's lines. Returns the worst exit code.
inline int ForEachBackend(const EngineArgs& base, const std::string& command, std::ostream& out, const BackendTurn& turn) {
  int code = kOk;
  const bool several = base.backends.size() > 1;
  const report::OutputPaths asked = base.session.outputs;
  const bool board = several && (!asked.markdown.empty() || !asked.html.empty());
  // The scoreboard is built from each backend's JSON report: written next to the Markdown/HTML
  // when --report was not given.
  const std::string json_base = !asked.json.empty() ? asked.json : (asked.markdown.empty() ? asked.html : asked.markdown) + ".json";
  std::vector<std::string> written;
  for (const std::string& name : base.backends) {
    EngineArgs args = base;
    args.session.command = command;
    if (several) {
      out << "\n== backend " << name << " ==\n";
      report::OutputPaths& o = args.session.outputs;
      o = {BackendPath(board ? json_base : o.json, name), BackendPath(o.junit, name), BackendPath(o.markdown, name),
           BackendPath(o.html, name)};
    }
    std::string why_not;
    std::unique_ptr<Backend> backend = MakeSelectedBackend(args, name, &why_not);
    if (!backend) {
      std::cerr << "convcheck " << command << ": " << why_not << "\n";
      code = WorseExit(code, kUsage);
      continue;
    }
    const std::optional<BackendCapabilities> caps = NamedBackendCapabilities(name);
    const NumericSetup numeric = TurnNumericSetup(name, args);
    // A backend that runs ONNX geometry gets those cases drawn too; the others never see them.
    args.config.onnx_geometry = caps && caps->onnx_geometry;
    const auto lacks = [&](const CaseProperty& p) {
      return (p.Numeric() && !caps->values) || std::find(caps->lacks.begin(), caps->lacks.end(), p.Name()) != caps->lacks.end() ||
             (p.Name() == "ValuesAgreeAcrossEngines" && !numeric.HasPeer());
    };
    if (caps && (!caps->values || !caps->lacks.empty()) && args.config.properties.empty()) {
      // Values and gradients need calls this backend cannot answer: a default selection leaves
      // those properties out, and says so, rather than reporting them all skipped.
      // They stay a default selection: a property left in counts as requested only when it was
      // offered cases, as in any default run (engine/run_summary.h IdleProperties).
      std::string left_out;
      for (const auto& p : MakeExtraProperties({})) {
        if (!lacks(*p)) continue;
        left_out += (left_out.empty() ? "" : ", ") + p->Name() + (p->Name() == "ValuesAgreeAcrossEngines" ? " (" + numeric.peer_missing + ")" : "");
        args.config.unanswerable.push_back(p->Name());
      }
      out << name << " cannot answer every property: left out " << left_out << "\n";
    }
    Session session(args.session, out, std::cerr);
    if (!session.Open(*backend)) {
      code = WorseExit(code, kUsage);
      continue;
    }
    code = WorseExit(code, turn(args, *backend, session, numeric));
    if (board) written.push_back(args.session.outputs.json);
  }
  if (board && !written.empty()) {
    std::string error;
    if (!WriteScoreboard(written, asked, &error)) {
      std::cerr << "convcheck " << command << ": scoreboard: " << error << "\n";
      return WorseExit(code, kUsage);
    }
    out << "\nscoreboard of " << written.size() << " frameworks written to "
        << (asked.markdown.empty() ? asked.html : asked.markdown + (asked.html.empty() ? "" : " and " + asked.html)) << "\n";
  }
  return code;
}

}  // namespace convcheck::cli
