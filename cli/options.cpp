#include "cli/options.h"

#include "engine/run_config.h"

#include <sstream>

namespace convcheck::cli {
namespace {

std::vector<std::string> SplitComma(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) parts.push_back(item);
  }
  return parts;
}

}  // namespace

bool ParseOpList(const std::string& text, std::vector<Op>* out, std::string* error) {
  out->clear();
  if (text == "all") {
    *out = RunConfig{}.ops;
    return true;
  }
  for (const std::string& name : SplitComma(text)) {
    const auto op = ParseOpName(name);
    if (!op) {
      *error = "--ops: unknown op \"" + name + "\" (conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, max_pool2d, avg_pool2d, adaptive_avg_pool2d, flatten, linear, ..., all)";
      return false;
    }
    out->push_back(*op);
  }
  if (out->empty()) *error = "--ops: empty list";
  return !out->empty();
}

bool ParseDTypeList(const std::string& text, std::vector<DType>* out, std::string* error) {
  out->clear();
  for (const std::string& name : SplitComma(text)) {
    const auto t = ParseDTypeName(name);
    if (!t) {
      *error = "--dtype: unknown dtype \"" + name + "\" (float32, float64, bfloat16, float16)";
      return false;
    }
    out->push_back(*t);
  }
  if (out->empty()) *error = "--dtype: empty list";
  return !out->empty();
}

CLI::Validator AtLeast(int64_t min) {
  return CLI::Validator(
      [min](std::string& value) -> std::string {
        size_t used = 0;
        long long v = 0;
        try {
          v = std::stoll(value, &used);
        } catch (const std::exception&) {
          return "expected an integer, got \"" + value + "\"";
        }
        if (used != value.size()) return "expected an integer, got \"" + value + "\"";
        if (v < min) return "must be at least " + std::to_string(min) + ", got " + value;
        return "";
      },
      "INT>=" + std::to_string(min));
}

CLI::Validator Positive() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        size_t used = 0;
        double v = 0;
        try {
          v = std::stod(value, &used);
        } catch (const std::exception&) {
          return "expected a number, got \"" + value + "\"";
        }
        if (used != value.size()) return "expected a number, got \"" + value + "\"";
        if (!(v > 0)) return "must be greater than 0, got " + value;
        return "";
      },
      "NUMBER>0");
}

std::optional<std::string> UnknownCommand(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-' || argv[1][0] == '\0') return std::nullopt;
  std::string names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->check_name(argv[1])) return std::nullopt;
    names += (names.empty() ? "" : ", ") + sub->get_name();
  }
  return "unknown command \"" + std::string(argv[1]) + "\" (commands: " + names + "; convcheck --help)";
}

}  // namespace convcheck::cli
