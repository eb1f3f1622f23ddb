// `--backend a,b,c` on run/check/replay: the engine runs once per backend, from here, so the
// engine itself stays single-backend. Each backend gets its own session (its known deviations,
// its regressions, its reports: with several backends each report path gets ".<name>" before
// its extension) and the exit code is the worst of theirs (found > usage > nothing checked).
// A shapes-only backend runs the non-numeric properties unless --properties names others.
#pragma once

#include <algorithm>
#include <functional>
#include <iostream>
#include <string>

#include "cli/command.h"
#include "cli/engine_flags.h"

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

// Runs `turn` for each --backend; `out` gets the session's lines. Returns the worst exit code.
inline int ForEachBackend(const EngineArgs& base, const std::string& command, std::ostream& out, const BackendTurn& turn) {
  int code = kOk;
  const bool several = base.backends.size() > 1;
  for (const std::string& name : base.backends) {
    EngineArgs args = base;
    args.session.command = command;
    if (several) {
      out << "\n== backend " << name << " ==\n";
      report::OutputPaths& o = args.session.outputs;
      o = {BackendPath(o.json, name), BackendPath(o.junit, name), BackendPath(o.markdown, name), BackendPath(o.html, name)};
    }
    std::string why_not;
    std::unique_ptr<Backend> backend = MakeSelectedBackend(args, name, &why_not);
    if (!backend) {
      std::cerr << "convcheck " << command << ": " << why_not << "\n";
      code = WorseExit(code, kUsage);
      continue;
    }
    const std::optional<BackendCapabilities> caps = NamedBackendCapabilities(name);
    const auto lacks = [&](const CaseProperty& p) {
      return (p.Numeric() && !caps->values) || std::find(caps->lacks.begin(), caps->lacks.end(), p.Name()) != caps->lacks.end();
    };
    if (caps && (!caps->values || !caps->lacks.empty()) && args.config.properties.empty()) {
      // Values and gradients need calls this backend cannot answer: a default selection leaves
      // those properties out, and says so, rather than reporting them all skipped.
      std::string left_out;
      for (const auto& p : MakeExtraProperties({})) {
        if (lacks(*p)) {
          left_out += (left_out.empty() ? "" : ", ") + p->Name();
        } else {
          args.config.properties.push_back(p->Name());
        }
      }
      if (args.config.properties.empty()) args.config.properties = {"none"};
      out << name << " cannot answer every property: left out " << left_out << "\n";
    }
    Session session(args.session, out, std::cerr);
    if (!session.Open(*backend)) {
      code = WorseExit(code, kUsage);
      continue;
    }
    code = WorseExit(code, turn(args, *backend, session, name == "libtorch" ? DefaultNumericSetup() : NamedNumericSetup(name)));
  }
  return code;
}

}  // namespace convcheck::cli
