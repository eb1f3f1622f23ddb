#include "engine/property_prefetch.h"

#include <algorithm>

#include "case_io/case_binary.h"
#include "oracles/output_shape.h"

namespace convcheck {

std::string PaddedKey(const PaddedCall& call) {
  Writer w;
  w.Reserve(512);
  PutCase(w, call.c);
  w.I64(static_cast<int64_t>(call.pads.size()));
  for (const PadPair& p : call.pads) {
    w.I64(p.left);
    w.I64(p.right);
  }
  return w.Take();
}

bool SameAnswer(const BackendOutcome& a, const BackendOutcome& b) {
  return a.kind == b.kind && a.shape == b.shape && a.message == b.message && a.error_type == b.error_type;
}

BackendOutcome GuessedAnswer(const ConvCase& c) {
  const ShapeResult predicted = OutputShape(c);
  return predicted.ok() ? BackendOutcome::Shape(predicted.shape()) : BackendOutcome::Rejected(predicted.violation().message);
}

BackendOutcome GuessedPaddedAnswer(const ConvCase& c, const std::vector<PadPair>& pads) {
  const size_t rank = static_cast<size_t>(SpatialRank(c.op));
  if (!IsTransposed(c.op)) {
    ConvCase z = c;
    const size_t first = z.input.size() - std::min(rank, z.input.size());
    for (size_t i = 0; i < rank && i < pads.size() && first + i < z.input.size(); ++i) {
      z.input[first + i] += pads[i].left + pads[i].right;
    }
    z.padding.assign(rank, 0);
    z.padding_kind = PaddingKind::kExplicit;
    z.padding_mode = PaddingMode::kZeros;
    return GuessedAnswer(z);
  }
  BackendOutcome out = GuessedAnswer(c);
  if (out.kind != BackendOutcome::Kind::kShape) return out;
  const size_t first = out.shape.size() - std::min(rank, out.shape.size());
  for (size_t i = 0; i < rank && i < pads.size() && first + i < out.shape.size(); ++i) {
    out.shape[first + i] -= pads[i].left + pads[i].right;
    if (out.shape[first + i] < 0) return BackendOutcome::Rejected("guess: the crop is larger than the output");
  }
  return out;
}

BackendOutcome SpeculativeBackend::Run(const ConvCase& c) {
  const auto [it, fresh] = seen_.try_emplace(c, requested_.size());
  if (fresh) {
    requested_.push_back(c);
    predicted_.push_back(GuessedAnswer(c));
  }
  asked_.push_back(it->second);
  return predicted_[it->second];
}

std::vector<BackendOutcome> SpeculativeBackend::RunBatch(const std::vector<ConvCase>& cases) {
  return RunEach(*this, cases);
}

BackendOutcome SpeculativeBackend::RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) {
  PaddedCall call{c, pads};
  const auto [it, fresh] = seen_padded_.try_emplace(PaddedKey(call), requested_padded_.size());
  if (fresh) {
    predicted_padded_.push_back(GuessedPaddedAnswer(c, pads));
    requested_padded_.push_back(std::move(call));
  }
  asked_padded_.push_back(it->second);
  return predicted_padded_[it->second];
}

std::vector<BackendOutcome> SpeculativeBackend::RunPaddedBatch(const std::vector<PaddedCall>& calls) {
  return RunPaddedEach(*this, calls);
}

// Answers each item from `answers` and the rest in one `forward` call; outcome i belongs to item i.
template <typename Answers, typename Item, typename KeyOf, typename Forward>
std::vector<BackendOutcome> CachedBackend::FromCache(const Answers& answers, const std::vector<Item>& items,
                                                     KeyOf key_of, Forward forward) {
  std::vector<BackendOutcome> out(items.size());
  std::vector<Item> missing;
  std::vector<size_t> where;
  for (size_t i = 0; i < items.size(); ++i) {
    const auto it = answers.find(key_of(items[i]));
    if (it != answers.end()) {
      ++hits_;
      out[i] = it->second;
    } else {
      ++misses_;
      missing.push_back(items[i]);
      where.push_back(i);
    }
  }
  if (!missing.empty()) {
    std::vector<BackendOutcome> got = forward(missing);
    for (size_t j = 0; j < where.size(); ++j) out[where[j]] = std::move(got[j]);
  }
  return out;
}

void CachedBackend::Fill(const std::vector<ConvCase>& cases) {
  if (cases.empty()) return;
  Keep(cases, inner_.RunBatch(cases));
}

void CachedBackend::Keep(std::vector<ConvCase> cases, std::vector<BackendOutcome> outcomes) {
  if (answers_.empty()) answers_.reserve(cases.size());
  for (size_t i = 0; i < cases.size() && i < outcomes.size(); ++i) {
    answers_.insert_or_assign(std::move(cases[i]), std::move(outcomes[i]));
  }
}

void CachedBackend::FillPadded(const std::vector<PaddedCall>& calls) {
  if (calls.empty()) return;
  KeepPadded(calls, inner_.RunPaddedBatch(calls));
}

void CachedBackend::KeepPadded(const std::vector<PaddedCall>& calls, std::vector<BackendOutcome> outcomes) {
  for (size_t i = 0; i < calls.size() && i < outcomes.size(); ++i) {
    padded_answers_[PaddedKey(calls[i])] = std::move(outcomes[i]);
  }
}

BackendOutcome CachedBackend::Run(const ConvCase& c) {
  const auto it = answers_.find(c);
  if (it != answers_.end()) {
    ++hits_;
    return it->second;
  }
  ++misses_;
  return inner_.Run(c);
}

std::vector<BackendOutcome> CachedBackend::RunBatch(const std::vector<ConvCase>& cases) {
  const auto same = [](const ConvCase& c) -> const ConvCase& { return c; };
  return FromCache(answers_, cases, same, [this](const std::vector<ConvCase>& missing) { return inner_.RunBatch(missing); });
}

BackendOutcome CachedBackend::RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) {
  const auto it = padded_answers_.find(PaddedKey(PaddedCall{c, pads}));
  if (it != padded_answers_.end()) {
    ++hits_;
    return it->second;
  }
  ++misses_;
  return inner_.RunPadded(c, pads);
}

std::vector<BackendOutcome> CachedBackend::RunPaddedBatch(const std::vector<PaddedCall>& calls) {
  return FromCache(padded_answers_, calls, PaddedKey,
                   [this](const std::vector<PaddedCall>& missing) { return inner_.RunPaddedBatch(missing); });
}

}  // namespace convcheck
