#include "cli/options.h"

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
    *out = {Op::kConv1d, Op::kConv2d, Op::kConv3d, Op::kConvTranspose1d, Op::kConvTranspose2d,
            Op::kConvTranspose3d};
    return true;
  }
  for (const std::string& name : SplitComma(text)) {
    const auto op = ParseOpName(name);
    if (!op) {
      *error = "--ops: unknown op \"" + name + "\" (conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, all)";
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

}  // namespace convcheck::cli
