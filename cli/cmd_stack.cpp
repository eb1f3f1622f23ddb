// `convcheck stack STACK.json --input N,C,H,W | --sweep LO..HI`: shapes through an encoder/decoder
// stack, and which input sizes it restores.
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "case_io/pytorch_text.h"
#include "cli/case_arg.h"
#include "cli/command.h"
#include "cli/json_flag.h"
#include "oracles/explain.h"
#include "oracles/layer_ops.h"
#include "case_io/stack_json.h"
#include "case_io/layer_list_json.h"
#include "cli/stack_network.h"
#include "oracles/round_trip.h"
#include "oracles/stack.h"

namespace convcheck::cli {
namespace {

struct StackArgs {
  std::string file;
  std::string input;
  std::string sweep;
  bool explain = false;
  JsonFlag json;
};

nlohmann::json InputJson(const Stack& s, const Dims& input) {
  const StackRun run = RunStack(s, input);
  nlohmann::json layers = nlohmann::json::array();
  for (size_t i = 0; i < s.size() && static_cast<int>(i) <= (run.ok() ? static_cast<int>(s.size()) : run.failed_layer); ++i) {
    nlohmann::json l = {{"name", s[i].name}, {"op", OpName(s[i].layer.op)},
                        {"pytorch", PyTorchModule(LayerCase(s[i].layer, i ? run.shapes[i - 1] : input))}};
    if (static_cast<int>(i) == run.failed_layer) {
      l["rejects"] = {{"rule", RuleName(run.violation->rule)}, {"message", run.violation->message}};
    } else {
      l["output"] = run.shapes[i];
    }
    layers.push_back(l);
  }
  nlohmann::json j = {{"input", input}, {"layers", layers}, {"round_trips", run.RoundTrips()}, {"accepted", run.ok()}};
  if (const auto features = FirstLinearFeatures(s, run)) j["first_linear_in_features"] = *features;
  return j;
}

nlohmann::json SweepJson(const Stack& s, int64_t lo, int64_t hi) {
  nlohmann::json dims = nlohmann::json::array();
  for (int d = 0; d < StackSpatialRank(s); ++d) {
    const DimRule rule = AnalyzeDim(s, d);
    int64_t count = 0;
    for (int64_t x = lo; x <= hi; ++x) count += rule.RoundTrips(x);
    dims.push_back({{"dim", rule.letter}, {"rule", rule.Sentence()}, {"round_trips", count}, {"sizes", hi - lo + 1},
                    {"period", rule.period}, {"min_valid", rule.min_valid}, {"stride_product", rule.stride_product}});
  }
  return {{"sweep", {lo, hi}}, {"dims", dims}};
}

bool ParseInt(const std::string& s, int64_t* out) {
  if (s.empty()) return false;
  size_t used = 0;
  try {
    *out = std::stoll(s, &used);
  } catch (const std::exception&) {
    return false;
  }
  return used == s.size();
}

bool ParseRange(const std::string& text, int64_t* lo, int64_t* hi) {
  const size_t at = text.find("..");
  return at != std::string::npos && ParseInt(text.substr(0, at), lo) &&
         ParseInt(text.substr(at + 2), hi) && *lo >= 1 && *lo <= *hi;
}

std::string Label(const Stack& s, size_t i) {
  return std::to_string(i + 1) + (s[i].name.empty() ? "" : " " + s[i].name);
}

std::string Changes(const Stack& s, int dim, const std::vector<OutputPaddingChange>& changes) {
  std::string out;
  for (const OutputPaddingChange& c : changes) out += (out.empty() ? "" : "; ") + DescribeChange(s, dim, c);
  return out;
}

int RunInput(const Stack& s, const Dims& input, bool explain) {
  const StackRun run = RunStack(s, input);
  std::cout << std::left << std::setw(28) << "input" << FormatDims(input) << "\n";
  for (size_t i = 0; i < s.size(); ++i) {
    std::cout << std::left << std::setw(28) << Label(s, i) + " " + OpName(s[i].layer.op);
    if (static_cast<int>(i) == run.failed_layer) {
      std::cout << "rejects: " << RuleName(run.violation->rule) << ": " << run.violation->message << "\n";
      return kFound;
    }
    std::cout << "→ " << FormatDims(run.shapes[i]) << "\n";
    if (explain && IsConvOp(s[i].layer.op)) {
      for (const std::string& line : ExplainShape(LayerCase(s[i].layer, i ? run.shapes[i - 1] : input))) {
        std::cout << "    " << line << "\n";
      }
    }
  }
  if (StackHasSpatialEnd(s)) return PrintNetworkSummary(s, run);
  if (run.RoundTrips()) {
    std::cout << "output equals input: round-trips\n";
    std::cout << "pytorch: nn.Sequential(";
    for (size_t i = 0; i < s.size(); ++i) {
      std::cout << (i ? ", " : "") << PyTorchModule(LayerCase(s[i].layer, i ? run.shapes[i - 1] : input));
    }
    std::cout << ")\n";
    return kOk;
  }
  std::cout << "output " << FormatDims(run.shapes.back()) << " ≠ input " << FormatDims(input) << ": does not round-trip\n";
  const Dims& out = run.shapes.back();
  const int rank = StackSpatialRank(s);
  if (out.size() != input.size()) return kFound;
  for (int d = 0; d < rank; ++d) {
    const size_t at = input.size() - static_cast<size_t>(rank - d);
    if (out[at] == input[at]) continue;
    const auto fix = SmallestFix(s, d, input[at], 0);
    std::cout << "  " << DimLetter(rank, d) << " = " << input[at] << ": "
              << (fix ? "fix: " + Changes(s, d, *fix) : "no output_padding change within PyTorch's bounds fixes it") << "\n";
  }
  for (const StackLayer& l : s) {
    if (!IsUpsampler(l.layer.op)) continue;
    std::cout << "  a max_unpool restores any size its pool saw when forward gets output_size= (the pool's input size); "
                 "nn.Upsample(size=...) fixes the size\n";
    break;
  }
  if (out[input.size() - static_cast<size_t>(rank) - 1] != input[input.size() - static_cast<size_t>(rank) - 1]) {
    std::cout << "  channels differ: the last layer's out_channels must equal the input's channels\n";
  }
  return kFound;
}

// Prints one dim's rule and fixes; returns how many sizes in [lo, hi] round-trip.
int64_t PrintDimRule(const Stack& s, int dim, int64_t lo, int64_t hi) {
  const DimRule rule = AnalyzeDim(s, dim);
  int64_t count = 0;
  count = rule.CountRoundTrips(lo, hi);
  const std::string& h = rule.letter;
  std::cout << h << ": " << rule.Sentence() << " — " << count << " of " << hi - lo + 1 << " sizes in " << lo << ".." << hi << "\n";
  if (rule.period <= 0 || rule.min_valid == 0) return count;
  std::cout << "   period " << rule.period
            << (rule.period == rule.stride_product ? " = " : ", dividing ") << "the product of the convolutions' strides ("
            << rule.stride_product << "); sizes below " << rule.min_valid << " are rejected by a layer\n";
  for (const ResidueClass& c : rule.classes) {
    if (c.slope != 0 || c.deficit == 0) continue;
    std::cout << "   " << h << " ≡ " << c.residue << " (mod " << rule.period << "): output " << h
              << (c.deficit > 0 ? " + " : " − ") << (c.deficit > 0 ? c.deficit : -c.deficit);
    const auto fix = SmallestFix(s, dim, c.representative, rule.stride_product);
    std::cout << "; fix for every such " << h << ": " << (fix ? Changes(s, dim, *fix) : "none within PyTorch's output_padding bounds") << "\n";
  }
  return count;
}

int RunSweep(const Stack& s, const std::string& file, int64_t lo, int64_t hi) {
  if (StackHasSpatialEnd(s)) return RunValiditySweep(s, file, lo, hi);
  const int rank = StackSpatialRank(s);
  std::cout << "stack " << file << ": " << s.size() << " layers; round trip per spatial dim for sizes " << lo << ".." << hi << "\n";
  bool all = true;
  for (int d = 0; d < rank; ++d) all = PrintDimRule(s, d, lo, hi) == hi - lo + 1 && all;
  if (!all) {
    std::cout << "a fixed output_padding serves one residue class; to restore every valid size, pass output_size= "
                 "(the encoder's input size) to the decoder's forward\n";
  }
  return all ? kOk : kFound;
}

int RunStackCommand(const StackArgs& args) {
  std::string text = args.file, error;
  const bool inline_text = LooksLikePyTorch(args.file);
  if (!inline_text && !ReadInput(args.file, &text, &error)) {
    std::cerr << "convcheck stack: " << error << "\n";
    return kUsage;
  }
  const int rank = args.input.empty() ? 0 : static_cast<int>(std::count(args.input.begin(), args.input.end(), ',')) - 1;
  const StackParseResult parsed = LooksLikePyTorch(text) ? ParsePyTorchStack(text) : ParseLayerListText(text, rank);
  if (!parsed.ok()) {
    std::cerr << "convcheck stack: " << (inline_text ? "" : args.file + ": ") << parsed.error << "\n";
    return kUsage;
  }
  if (args.input.empty() == args.sweep.empty()) {
    std::cerr << "convcheck stack: give exactly one of --input N,C,H,W or --sweep LO..HI\n";
    return kUsage;
  }
  if (!args.input.empty()) {
    Dims input;
    if (!ParseDimsFlag(args.input, &input)) {
      std::cerr << "convcheck stack: --input: expected comma-separated non-negative integers, got \"" << args.input << "\"\n";
      return kUsage;
    }
    if (args.json.Requested()) {
      const nlohmann::json j = InputJson(*parsed.value, input);
      if (!EmitJson(args.json, j, "stack")) return kUsage;
      // A network ending in flatten/linear succeeds when every layer accepts the input.
      const char* verdict = StackHasSpatialEnd(*parsed.value) ? "accepted" : "round_trips";
      if (args.json.ToStdout()) return j[verdict].get<bool>() ? kOk : kFound;
    }
    return RunInput(*parsed.value, input, args.explain);
  }
  int64_t lo = 0, hi = 0;
  if (!ParseRange(args.sweep, &lo, &hi)) {
    std::cerr << "convcheck stack: --sweep: expected LO..HI with 1 <= LO <= HI, got \"" << args.sweep << "\"\n";
    return kUsage;
  }
  if (args.json.Requested()) {
    if (StackHasSpatialEnd(*parsed.value)) {
      std::cerr << "convcheck stack: --sweep --json: a stack ending in flatten/linear has no round trip to report; "
                   "use --sweep without --json for the sizes every layer accepts\n";
      return kUsage;
    }
    const nlohmann::json j = SweepJson(*parsed.value, lo, hi);
    if (!EmitJson(args.json, j, "stack")) return kUsage;
    bool all = true;
    for (const auto& d : j["dims"]) all = all && d["round_trips"] == d["sizes"];
    if (args.json.ToStdout()) return all ? kOk : kFound;
  }
  return RunSweep(*parsed.value, inline_text ? "(inline)" : args.file, lo, hi);
}

void Register(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<StackArgs>();
  CLI::App* cmd = app.add_subcommand(
      "stack",
      "Shapes through a stack of layers (a JSON list of layers in the case format without\n"
      "\"input\", optional \"name\" -- convolutions, pools, flatten, linear, relu, ...; or the\n"
      "layer list of `convcheck sanity --model` ({\"type\": \"conv\"|\"maxpool\"|\"flatten\"|\"linear\"|...},\n"
      "pool padding \"same\" = TF SAME); or PyTorch text: nn.Sequential(...), a list, or one\n"
      "`self.name = nn.Conv2d(...)` per line, inline or in a file; activations, norms and dropout\n"
      "are passed over; pools, nn.MaxUnpool*d, nn.Upsample, nn.Flatten and nn.Linear are traced), and which input sizes\n"
      "it restores. --input prints the shape\n"
      "after every layer; --sweep gives, per spatial dim, the exact rule (periodic in the\n"
      "product of the strides) and the smallest output_padding changes that fix the rest.\n"
      "Exit 0 when the output equals the input (every size of the sweep; for a network ending in\n"
      "flatten/linear: when every layer accepts it), 1 otherwise, 2 on bad input.\n"
      "Examples:\n"
      "  convcheck stack examples/autoencoder_stack.json --input 1,128,24,24\n"
      "  convcheck stack examples/autoencoder_stack.json --sweep 1..512\n"
      "  convcheck stack examples/unpool_autoencoder_stack.json --input 1,3,24,24\n"
      "  convcheck stack examples/unpool_autoencoder_stack.json --input 1,3,25,25\n"
      "  convcheck stack '[nn.Conv2d(3, 16, 3, padding=1), nn.MaxPool2d(2), nn.Upsample(scale_factor=2), "
      "nn.Conv2d(16, 3, 3, padding=1)]' --sweep 1..64\n"
      "  convcheck stack examples/tf_cnn_network.json --input 1,1,61,72\n"
      "  convcheck stack '[nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ConvTranspose2d(16, 3, 3, stride=2, "
      "padding=1, output_padding=1)]' --input 1,3,32,32");
  cmd->add_option("stack", args->file, "stack JSON or PyTorch file, '-' for stdin, or inline PyTorch text")->required();
  cmd->add_option("--input", args->input, "input shape, e.g. 1,128,24,24");
  cmd->add_option("--sweep", args->sweep, "range of spatial sizes, e.g. 1..512");
  cmd->add_flag("--explain", args->explain, "with --input: each layer's formula with the numbers substituted");
  AddJsonFlag(cmd, &args->json);
  cmd->callback([args, exit_code] { *exit_code = RunStackCommand(*args); });
}

CONVCHECK_REGISTER_COMMAND(Register);

}  // namespace
}  // namespace convcheck::cli
