// `convcheck solve --in 768 --out 128`: every kernel/stride/padding/dilation that maps one size
// to another, simplest first.
#include <iostream>

#include "cli/command.h"
#include "oracles/explain.h"
#include "oracles/solver.h"

namespace convcheck::cli {
namespace {

struct SolveArgs {
  int64_t in = 0;
  int64_t out = 0;
  std::string op = "conv";
  SolveBounds bounds;
  int64_t limit = 20;
  bool explain = false;
};

std::string BoundsLine(const SolveBounds& b) {
  std::string s = "kernel ≤ " + std::to_string(b.max_kernel) + ", stride ≤ " + std::to_string(b.max_stride) +
                  ", padding " + (b.allow_padding ? "≤ " + std::to_string(b.max_padding) : "0") + ", dilation " +
                  (b.allow_dilation ? "≤ " + std::to_string(b.max_dilation) : "1");
  return s;
}

int RunSolve(SolveArgs args) {
  if (args.op != "conv" && args.op != "conv_transpose") {
    std::cerr << "convcheck solve: --op: expected conv or conv_transpose, got \"" << args.op << "\"\n";
    return kUsage;
  }
  args.bounds.transposed = args.op == "conv_transpose";
  if (args.limit < 0) {
    std::cerr << "convcheck solve: --limit must be >= 0\n";
    return kUsage;
  }
  const SolveResult r = Solve(args.in, args.out, args.bounds);
  if (!r.error.empty()) {
    std::cerr << "convcheck solve: " << r.error << "\n";
    return kUsage;
  }
  std::cout << args.op << " " << args.in << " → " << args.out << ": " << r.solutions.size()
            << " solutions with " << BoundsLine(r.bounds) << " (simplest first)\n";
  const size_t shown = args.limit == 0 ? r.solutions.size() : std::min<size_t>(r.solutions.size(), static_cast<size_t>(args.limit));
  for (size_t i = 0; i < shown; ++i) {
    const Solution& s = r.solutions[i];
    std::cout << (i + 1 < 10 ? " " : "") << i + 1 << ". " << DescribeSolution(s, args.bounds.transposed) << "\n";
    if (args.explain) {
      std::cout << "      " << (args.bounds.transposed
                                  ? ExplainConvTransposeDim(args.in, s.kernel, s.stride, s.padding, s.dilation, s.output_padding)
                                  : ExplainConvDim(args.in, s.padding, s.padding, s.kernel, s.stride, s.dilation))
                << "\n";
    }
  }
  if (shown < r.solutions.size()) std::cout << "... " << r.solutions.size() - shown << " more (--limit 0 prints all)\n";
  if (r.solutions.empty()) std::cout << "no solution within these bounds; try --allow-padding, --allow-dilation or a larger --max-kernel\n";
  return r.solutions.empty() ? kFound : kOk;
}

void Register(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<SolveArgs>();
  CLI::App* cmd = app.add_subcommand(
      "solve",
      "Every (kernel, stride, padding, dilation[, output_padding]) within the bounds that maps\n"
      "one spatial size to another, simplest first: fewest non-default parameters, then those that\n"
      "use every element, then the smallest kernel. Exit 0 when a solution exists, 1 when none, 2 on bad input.\n"
      "Example:\n"
      "  convcheck solve --in 768 --out 128 --max-kernel 8 --explain");
  cmd->add_option("--in", args->in, "input size (one spatial dim)")->required();
  cmd->add_option("--out", args->out, "wanted output size")->required();
  cmd->add_option("--op", args->op, "conv (default) or conv_transpose");
  cmd->add_option("--max-kernel", args->bounds.max_kernel, "largest kernel (default 16)");
  cmd->add_option("--max-stride", args->bounds.max_stride, "largest stride (default: every stride that can matter)");
  cmd->add_flag("--allow-padding", args->bounds.allow_padding, "also try padding > 0");
  cmd->add_option("--max-padding", args->bounds.max_padding, "largest padding (default (max kernel − 1)·max dilation)");
  cmd->add_flag("--allow-dilation", args->bounds.allow_dilation, "also try dilation > 1");
  cmd->add_option("--max-dilation", args->bounds.max_dilation, "largest dilation (default 4)");
  cmd->add_option("--limit", args->limit, "solutions printed (default 20, 0 = all)");
  cmd->add_flag("--explain", args->explain, "show each solution's formula with the numbers substituted");
  cmd->callback([args, exit_code] { *exit_code = RunSolve(*args); });
}

CONVCHECK_REGISTER_COMMAND(Register);

}  // namespace
}  // namespace convcheck::cli
