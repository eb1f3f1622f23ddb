// `convcheck invert CASE.json`: which output_padding makes conv_transpose undo a convolution.
#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "case_io/pytorch_text.h"
#include "cli/case_arg.h"
#include "cli/command.h"
#include "cli/invert_pool.h"
#include "cli/json_flag.h"
#include "oracles/explain.h"
#include "oracles/layer_ops.h"
#include "case_io/case_json.h"
#include "oracles/round_trip.h"

namespace convcheck::cli {
namespace {

struct InvertArgs {
  CaseArg c;
  bool explain = false;
  JsonFlag json;
};

std::string Tuple(const Dims& d) { return PyTuple(d); }

// "nn.ConvTranspose2d(256, 128, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))(y, output_size=(24, 24))"
std::string OutputSizeCall(const ConvCase& inverse, const Dims& target) {
  std::ostringstream os;
  os << "nn.ConvTranspose" << SpatialRank(inverse.op) << "d(" << InChannels(inverse) << ", "
     << inverse.out_channels << ", kernel_size=" << Tuple(inverse.kernel) << ", stride=" << Tuple(inverse.stride)
     << ", padding=" << Tuple(inverse.padding);
  bool dilated = false;
  for (int64_t v : inverse.dilation) dilated = dilated || v != 1;
  if (dilated) os << ", dilation=" << Tuple(inverse.dilation);
  if (inverse.groups != 1) os << ", groups=" << inverse.groups;
  os << ")(y, output_size=" << Tuple(target) << ")";
  return os.str();
}

void PrintTable(const ConvCase& c, const RoundTripResult& rt) {
  const int rank = SpatialRank(c.op);
  std::cout << "dim  input  conv out  convT out (op=0)  output_padding needed\n";
  for (size_t i = 0; i < rt.dims.size(); ++i) {
    const DimRoundTrip& d = rt.dims[i];
    std::cout << std::left << std::setw(3) << DimLetter(rank, static_cast<int>(i)) << std::right
              << std::setw(7) << d.input << std::setw(10) << d.conv_output << std::setw(18)
              << d.transpose_output << std::setw(23) << d.output_padding << "\n";
  }
}

// "output_padding 1 when H is even, 0 when H is odd (the same for W)"
std::string GeneralFix(const ConvCase& c) {
  const int rank = SpatialRank(c.op);
  std::string out = RoundTripFixSentence(c, 0);
  bool all_same = true;
  for (int i = 1; i < rank; ++i) {
    std::string si = RoundTripFixSentence(c, i);
    std::string s0 = RoundTripFixSentence(c, 0);
    const std::string a = DimLetter(rank, 0), b = DimLetter(rank, i);
    for (size_t at; (at = si.find(" " + b)) != std::string::npos;) si.replace(at, b.size() + 1, " " + a);
    all_same = all_same && si == s0;
  }
  if (rank > 1 && all_same) {
    out += " (the same for ";
    for (int i = 1; i < rank; ++i) out += (i > 1 ? ", " : "") + DimLetter(rank, i);
    return out + ")";
  }
  for (int i = 1; i < rank; ++i) out += "; " + RoundTripFixSentence(c, i);
  return out;
}

nlohmann::json InvertJson(const ConvCase& c, const RoundTripResult& rt, const Dims& conv_out, const ConvCase& inverse) {
  nlohmann::json j = {{"case", CaseToJson(c)}, {"round_trip", rt.ok()}, {"block", RoundTripBlockName(rt.block)}};
  if (rt.violation) j["message"] = rt.violation->message;
  if (rt.block == RoundTripBlock::kInvalidConv || rt.block == RoundTripBlock::kNotAConvolution) return j;
  j["conv_output"] = conv_out;
  j["output_padding"] = rt.OutputPadding();
  j["inverse"] = CaseToJson(inverse);
  if (rt.ok()) j["pytorch"] = PyTorchModule(inverse);
  return j;
}

// Why invert takes no case of this op: it answers for layers whose output size follows from a
// kernel, stride and padding (a convolution, a max/avg pool), the sizes a decoder can undo.
std::string NotInvertible(const ConvCase& c) {
  const std::string op = OpName(c.op);
  if (IsAdaptivePool(c.op)) {
    return op + " cannot be inverted: its output is output_size " + PyTuple(c.output_size) +
           " whatever the input, so no max_unpool or nn.Upsample(scale_factor=) undoes it for every input "
           "(nn.Upsample(size=...) with the input's own size restores one); invert takes a convolution or a "
           "max/avg pool";
  }
  return op + " cannot be inverted: invert takes a convolution or a max/avg pool";
}

int RunInvert(const InvertArgs& args) {
  const std::optional<ConvCase> parsed = ReadCaseArg(args.c, "invert");
  if (!parsed) return kUsage;
  const ConvCase& c = *parsed;
  if (IsWindowPool(c.op)) return RunPoolInvert(c, args.explain, args.json);
  if (!IsConvOp(c.op)) {
    std::cerr << "convcheck invert: " << NotInvertible(c) << "\n";
    return kUsage;
  }
  const RoundTripResult rt = RoundTripPadding(c);
  const bool blocked = rt.block == RoundTripBlock::kInvalidConv || rt.block == RoundTripBlock::kNotAConvolution;
  Dims conv_out = c.input;  // [N,] C, *spatial → the conv's output shape
  ConvCase inverse = c;
  if (!blocked) {
    conv_out[IsBatched(c) ? 1 : 0] = WeightShape(c)[0];
    for (size_t i = 0; i < rt.dims.size(); ++i) conv_out[conv_out.size() - rt.dims.size() + i] = rt.dims[i].conv_output;
    inverse = InverseCase(c, conv_out, rt.OutputPadding());
  }
  if (args.json.Requested()) {
    if (!EmitJson(args.json, InvertJson(c, rt, conv_out, inverse), "invert")) return kUsage;
    if (args.json.ToStdout()) return rt.ok() ? kOk : kFound;
  }
  if (blocked) {
    std::cout << "no round trip: " << RoundTripBlockName(rt.block) << ": " << RuleName(rt.violation->rule)
              << ": " << rt.violation->message << "\n";
    return kFound;
  }
  std::cout << OpName(c.op) << " " << FormatDims(c.input) << " → " << FormatDims(conv_out) << "; "
            << OpName(inverse.op) << " back with the same kernel, stride, padding, dilation\n";
  PrintTable(c, rt);
  if (args.explain) {
    for (const std::string& line : ExplainRoundTrip(c)) std::cout << "  " << line << "\n";
  }
  if (!rt.ok()) {
    std::cout << "no round trip: " << RoundTripBlockName(rt.block) << ": " << rt.violation->message << "\n";
    return kFound;
  }
  std::cout << "fix: use output_padding=" << Tuple(rt.OutputPadding()) << " for this input; in general "
            << GeneralFix(c) << "\n";
  std::cout << "or:  " << OutputSizeCall(inverse, SpatialInput(c)) << "\n";
  std::cout << "pytorch: " << PyTorchModule(inverse) << "\n";
  return kOk;
}

void Register(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<InvertArgs>();
  CLI::App* cmd = app.add_subcommand(
      "invert",
      "For a convolution case, the output_padding that makes the transposed convolution with the\n"
      "same kernel, stride, padding and dilation restore the input shape, per dim, or the rule\n"
      "that prevents it. For a max/avg pool: max_unpool's default output ((y-1)s + k - 2p), the\n"
      "output_size= it accepts (strictly within stride of the default) and nn.Upsample(scale_factor=\n"
      "stride), per dim. An adaptive pool, nn.Flatten or nn.Linear is refused (exit 2): no decoder\n"
      "with a kernel and stride undoes it. Exit 0 when a round trip exists, 1 when none does, 2 on\n"
      "bad input.\n"
      "Examples:\n"
      "  convcheck invert 'nn.Conv2d(128, 256, 3, stride=2, padding=1)' --input 1,128,24,24\n"
      "  convcheck invert '{\"op\":\"conv2d\",\"input\":[1,128,24,24],\"out_channels\":256,"
      "\"kernel\":3,\"stride\":2,\"padding\":1}' --explain\n"
      "  convcheck invert '{\"op\":\"max_pool2d\",\"input\":[1,3,61,72],\"kernel\":2}' --explain\n"
      "  convcheck invert 'nn.MaxPool2d(2, stride=2)' --input 1,3,25,25");
  AddCaseArg(cmd, &args->c);
  cmd->add_flag("--explain", args->explain, "show each size's formula with the numbers substituted");
  AddJsonFlag(cmd, &args->json);
  cmd->callback([args, exit_code] { *exit_code = RunInvert(*args); });
}

CONVCHECK_REGISTER_COMMAND(Register);

}  // namespace
}  // namespace convcheck::cli
