#include "cli/solve_pool.h"

#include <algorithm>
#include <iostream>

#include "cli/command.h"
#include "oracles/pool_solver.h"

namespace convcheck::cli {

int RunPoolSolve(int64_t in, int64_t out, int64_t max_kernel, int64_t max_stride, int64_t limit) {
  const std::vector<PoolSolution> found = SolvePool(in, out, max_kernel, max_stride);
  std::cout << "pool " << in << " → " << out << ": " << found.size() << " solutions with kernel ≤ " << max_kernel
            << ", stride ≤ " << max_stride << ", padding ≤ kernel/2 (most obvious first)\n";
  const size_t shown = limit == 0 ? found.size() : std::min<size_t>(found.size(), static_cast<size_t>(limit));
  for (size_t i = 0; i < shown; ++i) std::cout << (i + 1 < 10 ? " " : "") << i + 1 << ". " << DescribePoolSolution(found[i]) << "\n";
  if (shown < found.size()) std::cout << "... " << found.size() - shown << " more (--limit 0 prints all)\n";
  if (found.empty()) std::cout << "no pool within these bounds maps " << in << " to " << out << "; try a larger --max-kernel or --max-stride\n";
  return found.empty() ? kFound : kOk;
}

}  // namespace convcheck::cli
