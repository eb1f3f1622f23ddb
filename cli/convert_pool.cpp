#include "cli/convert_pool.h"

#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "oracles/round_trip.h"

namespace convcheck::cli {
namespace {

const char* PoolName(const ForeignPool& p) { return p.kind == PoolKind::kMax ? "max_pool" : "avg_pool"; }

// Pools have no weight: only the input's layout line of the convention applies.
std::vector<std::string> InputLayout(Convention cv, size_t rank) {
  const std::vector<std::string> lines = LayoutLines(cv, false, rank);
  return lines.empty() ? lines : std::vector<std::string>{lines.back()};
}

nlohmann::json PoolJson(Convention cv, const ForeignPool& p, const PoolConversion& c, const std::vector<ForeignDim>& dims) {
  nlohmann::json j = {{"convention", ConventionName(cv)}, {"pool", p.kind == PoolKind::kMax ? "max" : "avg"},
                      {"ceil_mode", p.ceil_mode}, {"count_include_pad", p.count_include_pad}, {"ok", c.ok()}};
  if (!c.ok()) {
    j["error"] = c.error;
    return j;
  }
  nlohmann::json per_dim = nlohmann::json::array();
  for (const PoolDimRecipe& r : c.dims) {
    nlohmann::json d = {{"output", r.expected}, {"formula", r.formula}, {"pads", {r.pads.left, r.pads.right}},
                        {"pre_pad", {r.pre_pad.left, r.pre_pad.right}}, {"padding", r.padding},
                        {"torch_output", r.torch_output}, {"crop_end", r.crop_end}};
    if (r.legacy_ceil_output) d["legacy_ceil_output"] = *r.legacy_ceil_output;
    per_dim.push_back(d);
  }
  j["dims"] = per_dim;
  j["torch"] = {{"style", PoolRecipeStyleName(c.style)}, {"ceil_mode", c.ceil_mode}, {"count_include_pad", c.count_include_pad}};
  j["exactness"] = c.exactness;
  j["notes"] = c.notes;
  j["recipe"] = PoolRecipeLines(c, p, dims);
  j["layout"] = InputLayout(cv, dims.size());
  j["module"] = PoolModuleLines(c, p, dims);
  return j;
}

}  // namespace

int RunPoolConvert(Convention cv, const ForeignPool& pool, const std::vector<ForeignDim>& dims, const JsonFlag& json) {
  const PoolConversion c = PoolToTorch(cv, pool, dims);
  if (json.Requested()) {
    if (!EmitJson(json, PoolJson(cv, pool, c, dims), "convert")) return kUsage;
    if (json.ToStdout()) return c.ok() ? kOk : kFound;
  }
  if (!c.ok()) {
    std::cout << ConventionName(cv) << " " << PoolName(pool) << ": " << c.error << "\n";
    return kFound;
  }
  std::cout << ConventionName(cv) << " " << PoolName(pool) << " → output";
  for (const PoolDimRecipe& r : c.dims) std::cout << " " << r.expected;
  std::cout << "\n";
  const int rank = static_cast<int>(c.dims.size());
  for (int i = 0; i < rank; ++i) std::cout << "  " << DimLetter(rank, i) << ": " << c.dims[static_cast<size_t>(i)].formula << "\n";
  std::cout << "  " << c.exactness << "\n";
  for (const std::string& n : c.notes) std::cout << "  note: " << n << "\n";
  std::cout << "PyTorch recipe:\n";
  for (const std::string& line : InputLayout(cv, dims.size())) std::cout << "  " << line << "\n";
  for (const std::string& line : PoolRecipeLines(c, pool, dims)) std::cout << "  " << line << "\n";
  std::cout << "pytorch module:\n";
  for (const std::string& line : PoolModuleLines(c, pool, dims)) std::cout << "  " << line << "\n";
  return kOk;
}

}  // namespace convcheck::cli
