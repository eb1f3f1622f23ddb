#include "sanity/report_io.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <vector>

#include "reports/atomic_file.h"
#include "sanity/thresholds.h"

namespace convcheck::sanity {
namespace {

nlohmann::json Number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

std::string Short(double v) {
  if (std::isnan(v)) return "-";
  std::ostringstream s;
  s << std::setprecision(3) << v;
  return s.str();
}

std::string Pad(std::string s, size_t width) {
  if (s.size() > width) s = s.substr(0, width - 1) + "~";
  return s + std::string(width - s.size() + 1, ' ');
}

// `text` broken at spaces into lines of at most `width` characters (longer words are split).
std::vector<std::string> Wrap(const std::string& text, size_t width) {
  std::vector<std::string> lines;
  std::istringstream words(text);
  std::string line;
  for (std::string w; words >> w;) {
    while (w.size() > width) {  // a path or a number longer than the column: split it
      if (!line.empty()) lines.push_back(line);
      lines.push_back(w.substr(0, width));
      line.clear();
      w = w.substr(width);
    }
    if (!line.empty() && line.size() + 1 + w.size() > width) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + w;
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

}  // namespace

bool SanityReport::HasError() const { return Has("", Level::kError); }

bool SanityReport::Has(const std::string& id, Level at_least) const {
  for (const Finding& f : findings) {
    if ((id.empty() || f.id == id) && f.level >= at_least) return true;
  }
  return false;
}

double SanityReport::Latest(const std::string& name, const std::string& layer) const {
  double value = std::nan("");
  int step = -1;
  for (const Measurement& m : measurements) {
    if (m.name == name && (layer.empty() || m.layer == layer) && m.step >= step) {
      value = m.value;
      step = m.step;
    }
  }
  return value;
}

nlohmann::json ReportToJson(const SanityReport& r) {
  const SanityContext& c = r.context;
  nlohmann::json j;
  j["schema_version"] = kSanitySchemaVersion;
  j["kind"] = "convcheck.sanity";
  // Context keys follow reports/report.h's Context, so a nightly job reads both the same way.
  j["context"] = {{"framework", "libtorch"}, {"framework_version", c.framework_version},
                  {"devices", {"cpu"}},
                  {"git_revision", CONVCHECK_GIT_REVISION}, {"model", c.model},
                  {"model_kind", c.model_kind}, {"task", c.task}, {"input_shape", c.input_shape},
                  {"data", c.data}, {"seed", c.seed}, {"train_steps", c.train_steps},
                  {"steps_run", r.steps_run}, {"optimizer", c.optimizer}, {"lr", c.lr}};
  int counts[3] = {0, 0, 0};
  j["findings"] = nlohmann::json::array();
  for (const Finding& f : r.findings) {
    ++counts[static_cast<int>(f.level)];
    j["findings"].push_back({{"id", f.id}, {"level", LevelName(f.level)}, {"layer", f.layer},
                             {"measured", Number(f.measured)}, {"threshold", f.threshold},
                             {"message", f.message}, {"step", f.step}});
  }
  j["summary"] = {{"errors", counts[2]}, {"warnings", counts[1]}, {"info", counts[0]},
                  {"passed", counts[2] == 0}};
  j["layer_shapes"] = nlohmann::json::array();
  for (const LayerShape& l : r.layer_shapes) j["layer_shapes"].push_back({{"layer", l.layer}, {"shape", l.shape}});
  if (!r.layer_shapes_unavailable.empty()) j["layer_shapes_unavailable"] = r.layer_shapes_unavailable;
  j["measurements"] = nlohmann::json::array();
  for (const Measurement& m : r.measurements) {
    j["measurements"].push_back(
        {{"name", m.name}, {"layer", m.layer}, {"value", Number(m.value)}, {"step", m.step}});
  }
  return j;
}

std::string TrainingNote(const SanityReport& r) {
  if (r.context.train_steps > 0) return "";
  return "note: no --train given: these checks ran at initialization only.\n"
         "      Output that goes constant while training (OUT-1) shows only with --train K (e.g. --train 100).";
}

std::string DiagnosisLine(const SanityReport& r) {
  int errors = 0, warnings = 0;
  const Finding* first = nullptr;
  for (const Finding& f : r.findings) {
    errors += f.level == Level::kError;
    warnings += f.level == Level::kWarn;
    if (f.level == Level::kError && !first) first = &f;
  }
  const std::string counts = std::to_string(errors) + (errors == 1 ? " error, " : " errors, ") +
                             std::to_string(warnings) + (warnings == 1 ? " warning" : " warnings");
  std::string what = first ? first->id + " " + (first->layer.empty() ? "" : first->layer + ": ") + first->message
                           : (warnings > 0 ? std::string("no error; see the warnings above") : "no problem found");
  const std::string head = "diagnosis: ", tail = " — " + counts;
  const size_t room = kSanityColumns - head.size() - tail.size() + 2;  // "—" is 3 bytes, 1 column
  if (what.size() > room) what = what.substr(0, room - 3) + "...";
  return head + what + tail;
}

void PrintFindings(const SanityReport& r, std::ostream& out) {
  out << Pad("ID", 7) << Pad("LEVEL", 5) << Pad("STEP", 4) << Pad("LAYER", 22)
      << Pad("MEASURED", 9) << Pad("THRESHOLD", 30) << "WHAT TO DO\n";
  constexpr size_t kIndent = 8 + 6 + 5 + 23 + 10 + 31;  // the padded columns before WHAT TO DO
  for (const Finding& f : r.findings) {
    out << Pad(f.id, 7) << Pad(LevelName(f.level), 5) << Pad(std::to_string(f.step), 4)
        << Pad(f.layer.empty() ? "(model)" : f.layer, 22) << Pad(Short(f.measured), 9)
        << Pad(f.threshold, 30);
    const std::vector<std::string> lines = Wrap(f.message, kSanityColumns - kIndent);
    for (size_t i = 0; i < lines.size(); ++i) out << (i ? std::string(kIndent, ' ') : "") << lines[i] << "\n";
  }
  if (r.findings.empty()) out << "(no findings)\n";
}

namespace {

std::string Dims(const std::vector<long long>& d) {
  std::string s = "[";
  for (size_t i = 0; i < d.size(); ++i) s += (i ? ", " : "") + std::to_string(d[i]);
  return s + "]";
}

}  // namespace

void PrintLayerShapes(const SanityReport& r, std::ostream& out) {
  if (r.layer_shapes.empty()) {
    if (!r.layer_shapes_unavailable.empty()) out << "shapes: not per layer: " << r.layer_shapes_unavailable << "\n";
    return;
  }
  out << "shapes (input " << Dims(r.context.input_shape) << "):\n";
  for (const LayerShape& l : r.layer_shapes) out << "  " << Pad(l.layer, 28) << Dims(l.shape) << "\n";
}

void PrintMeasurements(const SanityReport& r, std::ostream& out) {
  out << "measurements (name, layer, step, value):\n";
  for (const Measurement& m : r.measurements) {
    if (m.name == "act_rms" || m.name == "cross_sample_grad") continue;  // in the JSON
    out << "  " << Pad(m.name, 18) << Pad(m.layer.empty() ? "(model)" : m.layer, 22)
        << Pad(std::to_string(m.step), 5) << Short(m.value) << "\n";
  }
}

bool WriteJsonFile(const nlohmann::json& j, const std::string& path, std::string* error) {
  return report::WriteFileAtomically(path, j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n", error);
}

}  // namespace convcheck::sanity
