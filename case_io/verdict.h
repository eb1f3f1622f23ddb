// The closed set of verdicts (ARCHITECTURE.md, "Verdicts"), defined once: the engine judges
// with it, the corpus and known-deviation records store it by name, and every report counts by
// it. Adding a verdict means adding it here; every switch over it then fails to compile until
// it is handled.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>

namespace convcheck {

enum class Verdict {
  kAgree,               // same shape (or both accept an allocation refusal)
  kShapeMismatch,       // both accept, shapes differ
  kValueMismatch,       // shapes agree, numbers do not
  kOracleOnlyRejected,  // oracle says invalid, backend produced a tensor
  kBackendOnlyRejected, // oracle says valid, backend refused
  kBothRejected,        // both refuse: validity agrees
  kCrash,               // the backend killed its worker (signal)
  kTimeout,             // the backend ran past the per-case limit
  kSkipped,             // not run, with the reason (e.g. "no CUDA device")
  kHarnessError,        // convcheck itself failed on this case
  // Detection beyond validity: the reason for a refusal, and the memory a case cost.
  kWrongReason,         // both refuse, but the backend names another rule, wrong values or rank
  kResource,            // agreed, but the worker's peak memory is out of proportion to the case
};

constexpr size_t kVerdictCount = 12;
constexpr std::array<Verdict, kVerdictCount> kAllVerdicts = {
    Verdict::kAgree,         Verdict::kShapeMismatch,       Verdict::kValueMismatch,
    Verdict::kOracleOnlyRejected, Verdict::kBackendOnlyRejected, Verdict::kBothRejected,
    Verdict::kCrash,         Verdict::kTimeout,             Verdict::kSkipped,
    Verdict::kHarnessError,  Verdict::kWrongReason,         Verdict::kResource};

// "shape_mismatch": the spelling of every file format and report.
const char* VerdictName(Verdict v);
// The inverse of VerdictName; nullopt for any other text.
std::optional<Verdict> ParseVerdictName(const std::string& s);
// True for verdicts that mean the case conforms (agree, both rejected).
bool IsAgreement(Verdict v);
// True for verdicts that count against conformance (not agree, both_rejected or skipped).
bool IsFailure(Verdict v);

}  // namespace convcheck
