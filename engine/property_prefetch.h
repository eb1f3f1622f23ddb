// Batches the backend calls that properties make. A property checks one case at a time and
// may call the backend several times (a round trip runs two transposed convs, a stack one conv
// per layer); made one by one, those calls reach a single isolated worker each, so they neither
// spread over --jobs nor amortize the round trip to the worker.
//
// The prefetch runs every property of a batch once against a speculative backend that answers
// as the oracle predicts and records each case asked for; all recorded cases then go to the
// real backend in one RunBatch (the recipe calls in one RunPaddedBatch). A check whose every answer the oracle guessed right (the usual
// case: most answers agree with the oracle) keeps the result of its speculative run: a property
// is a function of its case and its answers (properties/property.h), so running it again on the
// same answers would give the same result. Any other check runs for real against a cache of the
// answers, which forwards anything it has not seen (a property whose path depends on an answer
// that differed from the prediction) to the real backend. Because a cached answer is the real
// backend's answer to the same case, verdicts are exactly those of the one-at-a-time path; the
// cost of a wrong guess is one more run of the property and at most one extra call.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "backends/backend.h"

namespace convcheck {

// What the oracle predicts a backend answers: the output shape, or a rejection naming the rule.
BackendOutcome GuessedAnswer(const ConvCase& c);
// The same for a recipe call (Backend::RunPadded): a convolution of the input padded by `pads`
// with padding 0; a transposed convolution's output with `pads` cropped off (a crop larger than
// the output is guessed as a rejection, whose message no backend shares).
BackendOutcome GuessedPaddedAnswer(const ConvCase& c, const std::vector<PadPair>& pads);

// Records each case and recipe call it is asked to run and answers with the guesses above.
class SpeculativeBackend final : public Backend {
 public:
  // `real` answers Name, Version and Devices; it is never asked to run anything.
  explicit SpeculativeBackend(const Backend& real) : real_(real) {}
  std::string Name() const override { return real_.Name(); }
  std::string Version() const override { return real_.Version(); }
  std::vector<Device> Devices() const override { return real_.Devices(); }
  BackendOutcome Run(const ConvCase& c) override;
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override;
  BackendOutcome RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) override;
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override;

  // Every distinct case asked for, in first-asked order.
  const std::vector<ConvCase>& requested() const { return requested_; }
  // Moved out once the pass is over (the backend is spent after them): the answer each
  // requested() case was given; every distinct recipe call asked for, in first-asked order, and
  // the answer each was given.
  std::vector<BackendOutcome> TakePredicted() { return std::move(predicted_); }
  std::vector<PaddedCall> TakeRequestedPadded() { return std::move(requested_padded_); }
  std::vector<BackendOutcome> TakePredictedPadded() { return std::move(predicted_padded_); }

  // What one check asked, from its BeginCheck to the next: the indices into requested() of
  // the cases it ran, and into the recipe calls (TakeRequestedPadded), in order.
  void BeginCheck() {
    asked_.clear();
    asked_padded_.clear();
  }
  const std::vector<size_t>& asked() const { return asked_; }
  const std::vector<size_t>& asked_padded() const { return asked_padded_; }

 private:
  const Backend& real_;
  std::vector<ConvCase> requested_;
  std::vector<BackendOutcome> predicted_;
  std::vector<PaddedCall> requested_padded_;
  std::vector<BackendOutcome> predicted_padded_;
  std::unordered_map<ConvCase, size_t, CaseHash, CaseIdentical> seen_;  // -> index into requested_
  std::map<std::string, size_t> seen_padded_;  // PaddedKey -> index into requested_padded_
  std::vector<size_t> asked_, asked_padded_;
};

// Whether a property given `a` sees what it would see given `b`: the kind, the shape, the
// message and the error type. peak_bytes is left out: only the base property ResourceBounded
// reads it, and a worker's answer carries it where a guess cannot.
bool SameAnswer(const BackendOutcome& a, const BackendOutcome& b);

// Answers the cases it was filled with from memory and forwards every other call to `inner`
// (a decorator: it forwards every call of the interface).
class CachedBackend final : public Backend {
 public:
  explicit CachedBackend(Backend& inner) : inner_(inner) {}
  std::string Name() const override { return inner_.Name(); }
  std::string Version() const override { return inner_.Version(); }
  std::vector<Device> Devices() const override { return inner_.Devices(); }
  BackendOutcome Run(const ConvCase& c) override;
  std::vector<BackendOutcome> RunBatch(const std::vector<ConvCase>& cases) override;
  BackendOutcome RunPadded(const ConvCase& c, const std::vector<PadPair>& pads) override;
  std::vector<BackendOutcome> RunPaddedBatch(const std::vector<PaddedCall>& calls) override;

  // Runs `cases` on `inner` in one RunBatch and keeps the answers.
  void Fill(const std::vector<ConvCase>& cases);
  // Keeps `outcomes[i]` as the answer to `cases[i]` (answers the caller got from `inner`).
  void Keep(std::vector<ConvCase> cases, std::vector<BackendOutcome> outcomes);
  // Runs `calls` on `inner` in one RunPaddedBatch and keeps the answers.
  void FillPadded(const std::vector<PaddedCall>& calls);
  // Keeps `outcomes[i]` as the answer to `calls[i]` (answers the caller got from `inner`).
  void KeepPadded(const std::vector<PaddedCall>& calls, std::vector<BackendOutcome> outcomes);
  void Clear() {
    answers_.clear();
    padded_answers_.clear();
  }
  int64_t hits() const { return hits_; }
  int64_t misses() const { return misses_; }

 private:
  template <typename Answers, typename Item, typename KeyOf, typename Forward>
  std::vector<BackendOutcome> FromCache(const Answers& answers, const std::vector<Item>& items,
                                        KeyOf key_of, Forward forward);

  Backend& inner_;
  std::unordered_map<ConvCase, BackendOutcome, CaseHash, CaseIdentical> answers_;
  std::map<std::string, BackendOutcome> padded_answers_;  // under PaddedKey
  int64_t hits_ = 0;
  int64_t misses_ = 0;
};

// Both classes file a case under CaseHash and Identical (oracles/conv_case.h), and a recipe call
// under this key: the case's binary form (case_io/case_binary.h) followed by its pads.
std::string PaddedKey(const PaddedCall& call);

}  // namespace convcheck
