#include "cli/solve_pool.h"

#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "oracles/pool_conventions.h"
#include "oracles/pool_solver.h"

namespace convcheck::cli {
namespace {

// The PyTorch module of a solution: PyTorch's own pool, or TF SAME's exact recipe for this size.
std::string TorchModule(int64_t in, const PoolSolution& s) {
  if (!s.tf_same) return PoolSolutionModule(s);
  const std::vector<ForeignDim> dims = {{in, s.kernel, s.stride, 1, 0, 0, std::nullopt, std::nullopt}};
  const ForeignPool max{PoolKind::kMax, false, false};
  const PoolConversion c = PoolToTorch(Convention::kTfSame, max, dims);
  const std::vector<std::string> lines = PoolModuleLines(c, max, dims);
  std::string out;
  for (const std::string& l : lines) out += (out.empty() ? "" : "; ") + l;
  return out;
}

nlohmann::json PoolSolveJson(int64_t in, int64_t out, int64_t max_kernel, int64_t max_stride, const std::vector<PoolSolution>& found) {
  nlohmann::json sols = nlohmann::json::array();
  for (const PoolSolution& s : found) {
    sols.push_back({{"kernel", s.kernel}, {"stride", s.stride}, {"padding", s.padding}, {"ceil_mode", s.ceil_mode},
                    {"tf_same", s.tf_same}, {"pytorch", TorchModule(in, s)}});
  }
  return {{"in", in}, {"out", out}, {"op", "pool1d"}, {"bounds", {{"max_kernel", max_kernel}, {"max_stride", max_stride}}},
          {"solutions", sols}};
}

}  // namespace

int RunPoolSolve(int64_t in, int64_t out, int64_t max_kernel, int64_t max_stride, int64_t limit, const JsonFlag& json) {
  const std::vector<PoolSolution> found = SolvePool(in, out, max_kernel, max_stride);
  if (json.Requested()) {
    if (!EmitJson(json, PoolSolveJson(in, out, max_kernel, max_stride, found), "solve")) return kUsage;
    if (json.ToStdout()) return found.empty() ? kFound : kOk;
  }
  std::cout << "pool " << in << " → " << out << ": " << found.size() << " solutions with kernel ≤ " << max_kernel
            << ", stride ≤ " << max_stride << ", padding ≤ kernel/2 (most obvious first)\n";
  const size_t shown = limit == 0 ? found.size() : std::min<size_t>(found.size(), static_cast<size_t>(limit));
  for (size_t i = 0; i < shown; ++i) {
    std::cout << (i + 1 < 10 ? " " : "") << i + 1 << ". " << DescribePoolSolution(found[i]) << "\n";
    if (found[i].tf_same) std::cout << "      pytorch: " << TorchModule(in, found[i]) << "\n";
  }
  if (shown < found.size()) std::cout << "... " << found.size() - shown << " more (--limit 0 prints all)\n";
  if (found.empty()) std::cout << "no pool within these bounds maps " << in << " to " << out << "; try a larger --max-kernel or --max-stride\n";
  return found.empty() ? kFound : kOk;
}

}  // namespace convcheck::cli
