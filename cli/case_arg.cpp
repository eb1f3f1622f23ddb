#include "cli/case_arg.h"

#include <iostream>
#include <sstream>

#include "case_io/case_json.h"
#include "case_io/pytorch_text.h"
#include "cli/command.h"

namespace convcheck::cli {
namespace {

bool ParseCount(const std::string& s, int64_t* out) {
  if (s.empty() || s.find_first_not_of(" 0123456789") != std::string::npos) return false;
  try {
    *out = std::stoll(s);
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

bool ReadDims(const std::string& flag, const std::string& text, std::optional<Dims>* out, std::string* error) {
  if (text.empty()) return true;
  Dims d;
  if (!ParseDimsFlag(text, &d)) {
    *error = flag + ": expected comma-separated non-negative integers such as 1,3,32,32, got \"" + text + "\"";
    return false;
  }
  *out = d;
  return true;
}

}  // namespace

bool ParseDimsFlag(const std::string& text, Dims* out) {
  out->clear();
  std::stringstream ss(text);
  for (std::string part; std::getline(ss, part, ',');) {
    int64_t v = 0;
    if (!ParseCount(part, &v)) return false;
    out->push_back(v);
  }
  return !out->empty();
}

void AddCaseArg(CLI::App* cmd, CaseArg* arg) {
  cmd->add_option("case", arg->value,
                  "the case: PyTorch text ('nn.Conv2d(3, 8, 3, stride=2)', 'F.conv2d(x, w)'), inline JSON, "
                  "a case JSON file, or '-' for stdin")->required();
  cmd->add_option("--input", arg->input, "input shape N,C,... (required with a PyTorch module; replaces a JSON case's input)");
  cmd->add_option("--weight", arg->weight, "weight shape for F.conv*(x, w) when w is a variable, e.g. 8,3,3,3");
}

std::optional<ConvCase> ReadCaseArg(const CaseArg& arg, const std::string& command) {
  const std::string prefix = "convcheck " + command + ": ";
  PyTorchGiven given;
  std::string error;
  if (!ReadDims("--input", arg.input, &given.input, &error) || !ReadDims("--weight", arg.weight, &given.weight, &error)) {
    std::cerr << prefix << error << "\n";
    return std::nullopt;
  }
  std::string text = arg.value;
  const bool inline_text = (!text.empty() && text.front() == '{') || LooksLikePyTorch(text);
  if (!inline_text && !ReadInput(arg.value, &text, &error)) {
    std::cerr << prefix << error << "\n";
    return std::nullopt;
  }
  const std::string where = inline_text ? "" : arg.value + ": ";
  if (LooksLikePyTorch(text)) {
    const CaseParseResult r = ParsePyTorchCase(text, given);
    if (!r.ok()) std::cerr << prefix << where << r.error << "\n";
    return r.value;
  }
  CaseParseResult r = ParseCaseText(text);
  if (!r.ok()) {
    std::cerr << prefix << where << r.error << "\n";
    return std::nullopt;
  }
  if (given.input) r.value->input = *given.input;
  return r.value;
}

}  // namespace convcheck::cli
