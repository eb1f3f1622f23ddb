// `convcheck convert --from tf|keras|onnx ...`: another framework's padding convention as an
// exact PyTorch recipe.
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/convert_pool.h"
#include "cli/json_flag.h"
#include "oracles/conventions.h"
#include "oracles/round_trip.h"

namespace convcheck::cli {
namespace {

struct ConvertArgs {
  std::string from, padding = "SAME", input, kernel, stride = "1", dilation = "1";
  std::string pads, output_padding, output_shape;
  bool transpose = false;
  std::string pool;  // "max" | "avg": a pooling layer instead of a convolution (cli/convert_pool.h)
  bool ceil_mode = false, count_include_pad = false;
  JsonFlag json;
};

// --pool's flags: which pool, and none of the transposed convolution's.
bool PoolFlags(const ConvertArgs& a, ForeignPool* pool, std::string* error) {
  if (a.pool != "max" && a.pool != "avg") {
    *error = "--pool: expected max or avg, got \"" + a.pool + "\"";
    return false;
  }
  if (a.transpose || !a.output_padding.empty() || !a.output_shape.empty()) {
    *error = "--pool takes none of --transpose, --output-padding, --output-shape";
    return false;
  }
  if (a.count_include_pad && (a.from != "onnx" || a.pool != "avg")) {
    *error = "--count-include-pad is ONNX AveragePool's: TF/Keras average over the valid elements only";
    return false;
  }
  *pool = ForeignPool{a.pool == "max" ? PoolKind::kMax : PoolKind::kAvg, a.ceil_mode, a.count_include_pad};
  return true;
}

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
  if (!a.pool.empty()) {
    ForeignPool pool;
    if (!PoolFlags(a, &pool, &error)) {
      std::cerr << "convcheck convert: " << error << "\n";
      return kUsage;
    }
    return RunPoolConvert(*cv, pool, dims, a.json);
  }
  if (a.ceil_mode || a.count_include_pad) {
    std::cerr << "convcheck convert: --ceil-mode and --count-include-pad need --pool max|avg\n";
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
      "framework documents. With --pool max|avg: tf.nn.max_pool/avg_pool, Keras MaxPooling/\n"
      "AveragePooling or ONNX MaxPool/AveragePool as one PyTorch pool where one is exact, else\n"
      "F.pad (-inf for a max) then the pool, or for an average that must not count the pads the\n"
      "ratio of two pooled averages; trailing windows PyTorch adds are cropped.\n"
      "Exit 0 with a recipe, 1 when that framework rejects the case, 2 on bad input.\n"
      "Examples:\n"
      "  convcheck convert --from tf --padding SAME --input 24,24 --kernel 3 --stride 2\n"
      "  convcheck convert --from tf --padding SAME --pool max --input 61,72 --kernel 2 --stride 2\n"
      "  convcheck convert --from onnx --padding NOTSET --pool avg --pads 1,1,1,1 --ceil-mode --input 2,2 --kernel 3 --stride 3\n"
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
  cmd->add_option("--pool", a->pool, "max or avg: convert a pooling layer (stride defaults to 1 as in ONNX; give --stride)");
  cmd->add_flag("--ceil-mode", a->ceil_mode, "with --pool: onnx ceil_mode=1");
  cmd->add_flag("--count-include-pad", a->count_include_pad, "with --pool avg: onnx count_include_pad=1 (TF/Keras never count pads)");
  AddJsonFlag(cmd, &a->json);
  cmd->callback([a, exit_code] { *exit_code = RunConvert(*a); });
}

CONVCHECK_REGISTER_COMMAND(Register);

}  // namespace
}  // namespace convcheck::cli
