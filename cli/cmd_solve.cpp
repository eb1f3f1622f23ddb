// `convcheck solve --in 768 --out 128`: every kernel/stride/padding/dilation that maps one size
// to another, simplest first.
#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include "case_io/pytorch_text.h"
#include "cli/command.h"
#include "cli/json_flag.h"
#include "cli/options.h"
#include "cli/solve_pool.h"
#include "oracles/explain.h"
#include "oracles/solver.h"

namespace convcheck::cli {
namespace {

struct SolveArgs {
  int64_t in = 0;
  int64_t out = 0;
  SolveBounds bounds;
  int64_t limit = 20;
  bool explain = false;
  JsonFlag json;
  bool pool = false;  // max/avg pooling instead of a convolution (cli/solve_pool.h)
};

// The module with this solution, channels left symbolic: the solver knows sizes, not channels.
std::string Module(const SolveArgs& a, const Solution& s) {
  ConvCase c = DefaultCase(MakeOp(a.bounds.transposed, 1), {1, 1, a.in}, 1);
  c.kernel = {s.kernel};
  c.stride = {s.stride};
  c.padding = {s.padding};
  c.dilation = {s.dilation};
  c.output_padding = {s.output_padding};
  return PyTorchModule(c, "C", "C");
}

// A size like 768 is often a feature dim ([seq, batch, 768]) rather than a spatial one: then the
// answer is a projection, not a convolution along it.
std::string ProjectionNote(const SolveArgs& a) {
  return "if " + std::to_string(a.in) + " is the feature dim (e.g. [seq, batch, " + std::to_string(a.in) +
         "]), project it instead: nn.Linear(" + std::to_string(a.in) + ", " + std::to_string(a.out) +
         "), or nn.Conv1d(" + std::to_string(a.in) + ", " + std::to_string(a.out) +
         ", kernel_size=1) on x.permute(1, 2, 0) ([batch, " + std::to_string(a.in) + ", seq])";
}

nlohmann::json SolveJson(const SolveArgs& a, const SolveResult& r) {
  nlohmann::json sols = nlohmann::json::array();
  for (const Solution& s : r.solutions) {
    nlohmann::json j = {{"kernel", s.kernel}, {"stride", s.stride}, {"padding", s.padding}, {"dilation", s.dilation},
                        {"unused", s.unused}, {"pytorch", Module(a, s)}};
    if (a.bounds.transposed) j["output_padding"] = s.output_padding;
    sols.push_back(j);
  }
  const SolveBounds& b = r.bounds;
  return {{"in", a.in}, {"out", a.out}, {"op", a.bounds.transposed ? "conv_transpose1d" : "conv1d"},
          {"bounds", {{"max_kernel", b.max_kernel}, {"max_stride", b.max_stride},
                      {"max_padding", b.allow_padding ? b.max_padding : 0},
                      {"max_dilation", b.allow_dilation ? b.max_dilation : 1}}},
          {"solutions", sols}, {"projection", ProjectionNote(a)}};
}

std::string BoundsLine(const SolveBounds& b) {
  std::string s = "kernel ≤ " + std::to_string(b.max_kernel) + ", stride ≤ " + std::to_string(b.max_stride) +
                  ", padding " + (b.allow_padding ? "≤ " + std::to_string(b.max_padding) : "0") + ", dilation " +
                  (b.allow_dilation ? "≤ " + std::to_string(b.max_dilation) : "1");
  return s;
}

int RunSolve(SolveArgs args) {
  if (args.pool) {
    const int64_t stride = args.bounds.max_stride > 0 ? args.bounds.max_stride : std::min<int64_t>(args.bounds.max_kernel, 16);
    return RunPoolSolve(args.in, args.out, std::min<int64_t>(args.bounds.max_kernel, 64), std::min<int64_t>(stride, 64), args.limit, args.json);
  }
  const SolveResult r = Solve(args.in, args.out, args.bounds);
  if (!r.error.empty()) {
    std::cerr << "convcheck solve: " << r.error << "\n";
    return kUsage;
  }
  if (args.json.Requested()) {
    if (!EmitJson(args.json, SolveJson(args, r), "solve")) return kUsage;
    if (args.json.ToStdout()) return r.solutions.empty() ? kFound : kOk;
  }
  std::cout << (args.bounds.transposed ? "conv_transpose" : "conv") << " " << args.in << " → " << args.out << ": " << r.solutions.size()
            << " solutions with " << BoundsLine(r.bounds) << " (most obvious first)\n";
  const size_t shown = args.limit == 0 ? r.solutions.size() : std::min<size_t>(r.solutions.size(), static_cast<size_t>(args.limit));
  for (size_t i = 0; i < shown; ++i) {
    const Solution& s = r.solutions[i];
    std::cout << (i + 1 < 10 ? " " : "") << i + 1 << ". " << DescribeSolution(s, args.bounds.transposed) << "\n"
              << "      " << Module(args, s) << "\n";
    if (args.explain) {
      std::cout << "      " << (args.bounds.transposed
                                  ? ExplainConvTransposeDim(args.in, s.kernel, s.stride, s.padding, s.dilation, s.output_padding)
                                  : ExplainConvDim(args.in, s.padding, s.padding, s.kernel, s.stride, s.dilation))
                << "\n";
    }
  }
  if (shown < r.solutions.size()) std::cout << "... " << r.solutions.size() - shown << " more (--limit 0 prints all)\n";
  if (r.solutions.empty()) std::cout << "no solution within these bounds; try --allow-padding, --allow-dilation or a larger --max-kernel\n";
  if (!args.bounds.transposed && args.out < args.in) std::cout << "or: " << ProjectionNote(args) << "\n";
  if (!r.solutions.empty()) std::cout << "pytorch: " << Module(args, r.solutions.front()) << "\n";
  return r.solutions.empty() ? kFound : kOk;
}

void Register(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<SolveArgs>();
  CLI::App* cmd = app.add_subcommand(
      "solve",
      "Every (kernel, stride, padding, dilation[, output_padding]) within the bounds that maps\n"
      "one spatial size to another, most obvious first: every element used, a stride nearest the\n"
      "scale factor, kernel == stride, then fewest non-default parameters and the smallest kernel.\n"
      "Each answer ends with the PyTorch module. Exit 0 when a solution exists, 1 when none, 2 on bad input.\n"
      "Examples:\n"
      "  convcheck solve --in 768 --out 128 --max-kernel 8 --explain\n"
      "  convcheck solve --in 12 --out 24 --transpose\n"
      "  convcheck solve --in 61 --out 31 --pool\n"
      "  convcheck solve --in 61 --out 31 --pool --json");
  // Ranges keep the enumeration bounded (stride and padding are derived, kernel and dilation are looped).
  cmd->add_option("--in", args->in, "input size (one spatial dim)")->required()->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  cmd->add_option("--out", args->out, "wanted output size")->required()->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  cmd->add_flag("--transpose", args->bounds.transposed, "the transposed convolution (as in convert)");
  cmd->add_option("--max-kernel", args->bounds.max_kernel, "largest kernel (default 16)")->check(CLI::Range(int64_t{1}, int64_t{4096}));
  cmd->add_option("--max-stride", args->bounds.max_stride, "largest stride (default: every stride that can matter)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  cmd->add_flag("--allow-padding", args->bounds.allow_padding, "also try padding > 0");
  cmd->add_option("--max-padding", args->bounds.max_padding, "largest padding (default (max kernel − 1)·max dilation)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 20));
  cmd->add_flag("--allow-dilation", args->bounds.allow_dilation, "also try dilation > 1");
  cmd->add_option("--max-dilation", args->bounds.max_dilation, "largest dilation (default 4)")->check(CLI::Range(int64_t{1}, int64_t{256}));
  cmd->add_option("--limit", args->limit, "solutions printed (default 20, 0 = all)")->check(AtLeast(0));
  cmd->add_flag("--explain", args->explain, "show each solution's formula with the numbers substituted");
  AddJsonFlag(cmd, &args->json);
  cmd->add_flag("--pool", args->pool, "max/avg pooling (kernel, stride, padding, ceil_mode, TF SAME) instead of a convolution");
  cmd->callback([args, exit_code] { *exit_code = RunSolve(*args); });
}

CONVCHECK_REGISTER_COMMAND(Register);

}  // namespace
}  // namespace convcheck::cli
