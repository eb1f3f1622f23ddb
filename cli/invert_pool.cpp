#include "cli/invert_pool.h"

#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "case_io/case_json.h"
#include "case_io/pytorch_text.h"
#include "cli/command.h"
#include "oracles/layer_ops.h"
#include "oracles/pool_round_trip.h"
#include "oracles/round_trip.h"

namespace convcheck::cli {
namespace {

bool IsMax(const ConvCase& c) { return FamilyOf(c.op) == OpFamily::kMaxPool; }

// "nn.MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))"
std::string Unpool(const ConvCase& c) {
  return "nn.MaxUnpool" + std::to_string(SpatialRank(c.op)) + "d(kernel_size=" + PyTuple(c.kernel) + ", stride=" +
         PyTuple(PoolStride(c)) + ", padding=" + PyTuple(c.padding) + ")";
}

Dims Column(const PoolRoundTrip& rt, int64_t PoolDimRoundTrip::*field) {
  Dims out;
  for (const PoolDimRoundTrip& d : rt.dims) out.push_back(d.*field);
  return out;
}

nlohmann::json PoolInvertJson(const ConvCase& c, const PoolRoundTrip& rt) {
  nlohmann::json j = {{"case", CaseToJson(c)}, {"ok", rt.ok()}};
  if (!rt.ok()) {
    j["rule"] = RuleName(rt.violation->rule);
    j["message"] = rt.violation->message;
    return j;
  }
  j["pool_output"] = Column(rt, &PoolDimRoundTrip::pool_output);
  j["upsample"] = {{"scale_factor", PoolStride(c)}, {"output", Column(rt, &PoolDimRoundTrip::upsample_output)},
                   {"restores", rt.UpsampleRestores()}};
  if (IsMax(c)) {
    nlohmann::json accepted = nlohmann::json::array();
    for (const PoolDimRoundTrip& d : rt.dims) accepted.push_back({d.unpool_min, d.unpool_max});
    j["max_unpool"] = {{"default_output", Column(rt, &PoolDimRoundTrip::unpool_default)},
                       {"default_restores", rt.DefaultRestores()}, {"output_size_accepted", accepted},
                       {"output_size_restores", rt.OutputSizeRestores()}, {"pytorch", Unpool(c)}};
  }
  return j;
}

void PrintTable(const ConvCase& c, const PoolRoundTrip& rt) {
  const int rank = SpatialRank(c.op);
  std::cout << "dim  input  pool out  unpool default  output_size accepted  upsample ×s\n";
  for (size_t i = 0; i < rt.dims.size(); ++i) {
    const PoolDimRoundTrip& d = rt.dims[i];
    std::cout << std::left << std::setw(3) << DimLetter(rank, static_cast<int>(i)) << std::right << std::setw(7) << d.input
              << std::setw(10) << d.pool_output << std::setw(16) << d.unpool_default << std::setw(22)
              << (std::to_string(d.unpool_min) + ".." + std::to_string(d.unpool_max)) << std::setw(13) << d.upsample_output << "\n";
  }
}

}  // namespace

int RunPoolInvert(const ConvCase& c, bool explain, const JsonFlag& json) {
  const PoolRoundTrip rt = PoolRoundTripOf(c);
  if (json.Requested()) {
    if (!EmitJson(json, PoolInvertJson(c, rt), "invert")) return kUsage;
    if (json.ToStdout()) return rt.ok() ? kOk : kFound;
  }
  if (!rt.ok()) {
    std::cout << "no round trip: " << RuleName(rt.violation->rule) << ": " << rt.violation->message << "\n";
    return kFound;
  }
  const Dims x = SpatialInput(c), up = Column(rt, &PoolDimRoundTrip::upsample_output);
  std::cout << OpName(c.op) << " " << FormatDims(c.input) << " → pool output " << FormatDims(Column(rt, &PoolDimRoundTrip::pool_output))
            << " (spatial); decoder: " << (IsMax(c) ? "max_unpool with the same kernel, stride, padding and the pool's indices, or " : "")
            << "nn.Upsample\n";
  PrintTable(c, rt);
  const int rank = SpatialRank(c.op);
  if (IsMax(c)) {
    for (int i = 0; i < rank && explain; ++i) std::cout << "  " << UnpoolRestoreSentence(c, i) << "\n";
    std::cout << (rt.DefaultRestores() ? "max_unpool's default output restores the input: "
                                       : "max_unpool's default output does not restore the input; ")
              << Unpool(c) << "(y, indices" << (rt.DefaultRestores() ? ")" : ", output_size=" + PyTuple(x) + ")") << "\n";
    if (!rt.OutputSizeRestores()) std::cout << "  output_size=" << PyTuple(x) << " is outside what max_unpool accepts\n";
  }
  std::cout << "upsample: nn.Upsample(scale_factor=" << PyTuple(PoolStride(c)) << ") gives " << PyTuple(up)
            << (rt.UpsampleRestores() ? ", the input" : "; nn.Upsample(size=" + PyTuple(x) + ") restores the input") << "\n";
  return kOk;
}

}  // namespace convcheck::cli
