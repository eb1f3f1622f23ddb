// `convcheck run`'s source of cases: the deterministic stream, in batches, through the engine.
#include <algorithm>
#include <chrono>
#include <deque>

#include "engine/engine.h"
#include "engine/interrupt.h"
#include "generators/case_stream.h"

namespace convcheck {
namespace {

using Clock = std::chrono::steady_clock;

bool BudgetLeft(const RunConfig& config, int64_t next_index, Clock::time_point start) {
  if (InterruptRequested()) return false;
  if (config.seconds > 0) {
    return std::chrono::duration<double>(Clock::now() - start).count() < config.seconds;
  }
  return next_index < config.cases;
}

}  // namespace

StreamOptions RunStreamOptions(const RunConfig& config) {
  StreamOptions s;
  s.gen.ops = config.ops;
  s.gen.dtypes = config.dtypes;
  s.gen.device = config.device;
  s.extreme = config.extreme;
  s.gen.padding_modes = config.padding_modes;
  s.gen.onnx_geometry = config.onnx_geometry;
  return s;
}

RunSummary RunConformance(const RunConfig& config, Backend& backend, const KnownDeviations& known,
                          std::ostream& log, const ProgressFn& progress,
                          const NumericSetup& numeric) {
  constexpr int64_t kBatch = 256;
  Engine engine(config, backend, known, numeric, log);
  const CaseStream stream(config.seed, RunStreamOptions(config));
  const auto start = Clock::now();
  const int64_t step = std::max(config.shard_count, 1);
  int64_t next = config.shard_index;  // next global stream index of this shard
  const int64_t budget = config.seconds > 0 ? -1 : (config.cases - config.shard_index + step - 1) / step;
  auto draw = [&] {
    std::vector<CaseItem> batch;
    if (!BudgetLeft(config, next, start)) return batch;
    for (; static_cast<int64_t>(batch.size()) < kBatch; next += step) {
      if (config.seconds <= 0 && next >= config.cases) break;
      CaseItem item;
      item.drawn = stream.At(static_cast<uint64_t>(next));
      item.c = item.drawn->value();
      item.index = next;
      item.source = "case #" + std::to_string(next) + " of convcheck run --seed " + std::to_string(config.seed);
      batch.push_back(std::move(item));
    }
    return batch;
  };
  // Up to kInFlight batches submitted ahead of the one being judged: the backend thread runs
  // them in turn while this thread judges, so neither side waits for the other's slower batch.
  // Every batch already submitted is judged, so an interrupt loses nothing that was run.
  constexpr size_t kInFlight = 2;
  std::deque<std::unique_ptr<PendingBatch>> pending;
  while (true) {
    std::vector<CaseItem> batch = draw();
    const bool drew = !batch.empty();
    if (drew) pending.push_back(engine.Submit(std::move(batch)));
    if (pending.empty()) break;
    if (drew && pending.size() <= kInFlight) continue;
    engine.Complete(std::move(pending.front()));
    pending.pop_front();
    if (progress) {
      progress({engine.summary().cases, budget,
                std::chrono::duration<double>(Clock::now() - start).count(),
                engine.summary().unexpected()});
    }
  }
  return engine.Finish(InterruptRequested());
}

}  // namespace convcheck
