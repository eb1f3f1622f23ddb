// `convcheck convert --from tf|keras|onnx ...`: another framework's padding convention as an
// exact PyTorch recipe.
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/json_flag.h"
#include "oracles/conventions.h"
#include "oracles/round_trip.h"

namespace convcheck::cli {
namespace {

struct ConvertArgs {
  std::string from, padding = "SAME", input, kernel, stride = "1", dilation = "1";
  std::string pads, output_padding, output_shape;
  bool transpose = false;
  JsonFlag json;
};

nlohmann::json ConvertJson(const ConvertArgs& a, Convention cv, const Conversion& c, const std::vector<ForeignDim>& dims) {
  nlohmann::json j = {{"convention", ConventionName(cv)}, {"transposed", a.transpose}, {"ok", c.ok()}};
  if (!c.ok()) {
    j["error"] = c.error;
    return j;
  }
  nlohmann::json per_dim = nlohmann::json::array();
  for (const DimRecipe& r : c.dims) {
    per_dim.push_back({{"output", r.expected}, {"formula", r.formula}, {"pre_pad", {r.pre_pad.left, r.pre_pad.right}},
                       {"padding", r.padding}, {"output_padding", r.output_padding}, {"crop", {r.crop.left, r.crop.right}}});
  }
  j["dims"] = per_dim;
  j["notes"] = c.notes;
  j["recipe"] = RecipeLines(c, dims, a.transpose);
  j["layout"] = LayoutLines(cv, a.transpose, dims.size());
  j["module"] = ModuleLines(c, dims, a.transpose);
  return j;
}

bool ParseList(const std::string& text, std::vector<int64_t>* out) {
  std::stringstream ss(text);
  for (std::string part; std::getline(ss, part, ',');) {
    size_t used = 0;
    try {
      out->push_back(std::stoll(part, &used));
    } catch (const std::exception&) {
      return false;
    }
    if (used != part.size()) return false;
  }
  return !out->empty();
}

// A scalar broadcasts to `rank` entries, as in the case format.
bool PerDim(const std::string& flag, const std::string& text, size_t rank, std::vector<int64_t>* out, std::string* error) {
  if (!ParseList(text, out) || (out->size() != 1 && out->size() != rank)) {
    *error = flag + ": expected 1 or " + std::to_string(rank) + " comma-separated integers, got \"" + text + "\"";
    return false;
  }
  if (out->size() == 1) out->assign(rank, out->front());
  return true;
}

bool BuildDims(const ConvertArgs& a, std::vector<ForeignDim>* dims, std::string* error) {
  std::vector<int64_t> x, k, s, d, pads, op, os;
  if (!ParseList(a.input, &x) || x.size() > 3) {
    *error = "--input: expected 1 to 3 comma-separated spatial sizes, got \"" + a.input + "\"";
    return false;
  }
  const size_t r = x.size();
  if (!PerDim("--kernel", a.kernel, r, &k, error) || !PerDim("--stride", a.stride, r, &s, error) ||
      !PerDim("--dilation", a.dilation, r, &d, error)) return false;
  if (!a.pads.empty() && (!ParseList(a.pads, &pads) || pads.size() != 2 * r)) {
    *error = "--pads: expected " + std::to_string(2 * r) + " integers (ONNX order: all begins, then all ends)";
    return false;
  }
  if (!a.output_padding.empty() && !PerDim("--output-padding", a.output_padding, r, &op, error)) return false;
  if (!a.output_shape.empty() && !PerDim("--output-shape", a.output_shape, r, &os, error)) return false;
  for (size_t i = 0; i < r; ++i) {
    ForeignDim f{x[i], k[i], s[i], d[i], pads.empty() ? 0 : pads[i], pads.empty() ? 0 : pads[r + i], std::nullopt, std::nullopt};
    if (!op.empty()) f.output_padding = op[i];
    if (!os.empty()) f.output_shape = os[i];
    dims->push_back(f);
  }
  return true;
}

int RunConvert(ConvertArgs a) {
  const std::optional<Convention> cv = ParseConvention(a.from, a.padding);
  if (!cv) {
    std::cerr << "convcheck convert: --from " << a.from << " --padding " << a.padding
              << ": expected tf|keras with SAME|VALID, or onnx with NOTSET|SAME_UPPER|SAME_LOWER|VALID\n";
    return kUsage;
  }
  std::vector<ForeignDim> dims;
  std::string error;
  if (!BuildDims(a, &dims, &error)) {
    std::cerr << "convcheck convert: " << error << "\n";
    return kUsage;
  }
  const bool tf_t = a.transpose && (*cv == Convention::kTfSame || *cv == Convention::kTfValid);
  if (tf_t && a.output_shape.empty()) {  // TF requires output_shape; show the choice it allows
    for (ForeignDim& d : dims) {
      const auto [lo, hi] = TfTransposeAcceptedSizes(d, *cv == Convention::kTfSame);
      (a.json.ToStdout() ? std::cerr : std::cout) << "tf.nn.conv_transpose accepts output sizes " << lo << ".." << hi << " for input " << d.input << "; using " << hi << "\n";
      d.output_shape = hi;
    }
  }
  const Conversion c = ToTorch(*cv, a.transpose, dims);
  if (a.json.Requested()) {
    if (!EmitJson(a.json, ConvertJson(a, *cv, c, dims), "convert")) return kUsage;
    if (a.json.ToStdout()) return c.ok() ? kOk : kFound;
  }
  if (!c.ok()) {
    std::cout << ConventionName(*cv) << (a.transpose ? " transposed" : "") << ": " << c.error << "\n";
    return kFound;
  }
  std::cout << ConventionName(*cv) << (a.transpose ? " conv_transpose" : " conv") << " → output";
  for (const DimRecipe& r : c.dims) std::cout << " " << r.expected;
  std::cout << "\n";
  for (size_t i = 0; i < c.dims.size(); ++i) {
    std::cout << "  " << DimLetter(static_cast<int>(c.dims.size()), static_cast<int>(i)) << ": " << c.dims[i].formula << "\n";
  }
  for (const std::string& n : c.notes) std::cout << "  note: " << n << "\n";
  std::cout << "PyTorch recipe:\n";
  for (const std::string& line : LayoutLines(*cv, a.transpose, dims.size())) std::cout << "  " << line << "\n";
  for (const std::string& line : RecipeLines(c, dims, a.transpose)) std::cout << "  " << line << "\n";
  std::cout << "pytorch module:\n";
  for (const std::string& line : ModuleLines(c, dims, a.transpose)) std::cout << "  " << line << "\n";
  return kOk;
}

void Register(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<ConvertArgs>();
  CLI::App* cmd = app.add_subcommand(
      "convert",
      "Another framework's padding convention as an exact PyTorch recipe (explicit, possibly\n"
      "asymmetric pads then a conv, or a transposed conv then a crop), with the output size that\n"
      "framework documents. Exit 0 with a recipe, 1 when that framework rejects the case, 2 on bad input.\n"
      "Examples:\n"
      "  convcheck convert --from tf --padding SAME --input 24,24 --kernel 3 --stride 2\n"
      "  convcheck convert --from onnx --padding SAME_LOWER --input 24 --kernel 4 --stride 2 --transpose --output-shape 48");
  cmd->add_option("--from", a->from, "tf, keras or onnx")->required();
  cmd->add_option("--padding", a->padding, "tf/keras: SAME|VALID; onnx auto_pad: NOTSET|SAME_UPPER|SAME_LOWER|VALID");
  cmd->add_option("--input", a->input, "spatial input sizes, e.g. 24,24")->required();
  cmd->add_option("--kernel", a->kernel, "kernel size(s)")->required();
  cmd->add_option("--stride", a->stride, "stride(s), default 1");
  cmd->add_option("--dilation", a->dilation, "dilation(s), default 1");
  cmd->add_option("--pads", a->pads, "onnx NOTSET pads: begins then ends, e.g. 0,0,1,1");
  cmd->add_flag("--transpose", a->transpose, "the transposed convolution (conv2d_transpose / Conv2DTranspose / ConvTranspose)");
  cmd->add_option("--output-padding", a->output_padding, "keras/onnx output_padding");
  cmd->add_option("--output-shape", a->output_shape, "tf output_shape / onnx output_shape (spatial)");
  AddJsonFlag(cmd, &a->json);
  cmd->callback([a, exit_code] { *exit_code = RunConvert(*a); });
}

CONVCHECK_REGISTER_COMMAND(Register);

}  // namespace
}  // namespace convcheck::cli
