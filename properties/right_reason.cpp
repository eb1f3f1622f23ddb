#include "properties/right_reason.h"

#include "oracles/layer_ops.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cstdint>
#include <list>
#include <mutex>
#include <sstream>
#include <vector>

namespace convcheck {
namespace {

// The patterns of one table compiled into one RE2::Set, built once per table and read-only
// afterwards (RE2's matching is thread-safe): one linear-time pass over a refusal's message
// finds every pattern it matches. std::regex, one backtracking search per pattern, cost 9% of
// the judging process's CPU in a default run, with a memo of messages in front of it (a
// refusal's message names the case's sizes, so few repeat).
struct CompiledTable {
  RE2::Set set{RE2::Options(RE2::Quiet), RE2::UNANCHORED};
  std::vector<size_t> pattern_of;  // the set's index -> the table's (a pattern that fails to
                                   // compile is left out; tests hold every one to compiling)
};

// Built once per table; a list, whose entries never move.
const CompiledTable& Compiled(const ReasonTable& table) {
  static std::mutex lock;
  static std::list<std::pair<const ReasonTable*, CompiledTable>> cache;
  const std::lock_guard<std::mutex> hold(lock);
  for (const auto& entry : cache) {
    if (entry.first == &table) return entry.second;
  }
  CompiledTable& compiled = cache.emplace_back(&table, CompiledTable{}).second;
  for (size_t i = 0; i < table.patterns.size(); ++i) {
    const int k = compiled.set.Add(table.patterns[i].regex, nullptr);
    if (k < 0) continue;
    compiled.pattern_of.resize(static_cast<size_t>(k) + 1);
    compiled.pattern_of[static_cast<size_t>(k)] = i;
  }
  compiled.set.Compile();
  return compiled;
}

// Which patterns of `table` that apply to `family` match `message` (their indices, in order).
std::vector<size_t> MatchingPatterns(const ReasonTable& table, OpFamily family, const std::string& message) {
  const CompiledTable& compiled = Compiled(table);
  std::vector<int> hits;
  if (!compiled.pattern_of.empty()) compiled.set.Match(message, &hits);
  std::vector<size_t> matching;
  for (int k : hits) {
    const size_t i = compiled.pattern_of[static_cast<size_t>(k)];
    const std::vector<OpFamily>& families = table.patterns[i].families;
    if (std::find(families.begin(), families.end(), family) != families.end()) matching.push_back(i);
  }
  std::sort(matching.begin(), matching.end());
  return matching;
}

std::string DimsText(const Dims& d) {
  std::ostringstream os;
  os << "[";
  for (size_t i = 0; i < d.size(); ++i) os << (i ? ", " : "") << d[i];
  os << "]";
  return os.str();
}

// Integers in a bracketed list "[1, 3, 5]" (an empty list for "[]").
Dims ParseList(const std::string& text) {
  Dims out;
  std::istringstream is(text);
  std::string item;
  while (std::getline(is, item, ',')) {
    if (item.find_first_of("0123456789") != std::string::npos) out.push_back(std::stoll(item));
  }
  return out;
}

// Every value a user passed that does not fit int32 (the ones a 32-bit cut changes).
std::vector<int64_t> WideValues(const ConvCase& c) {
  std::vector<int64_t> all = c.input;
  for (const Dims* d : {&c.kernel, &c.stride, &c.padding, &c.output_padding, &c.dilation}) {
    all.insert(all.end(), d->begin(), d->end());
  }
  if (c.weight_shape) all.insert(all.end(), c.weight_shape->begin(), c.weight_shape->end());
  all.insert(all.end(), c.output_size.begin(), c.output_size.end());
  all.push_back(c.groups);
  all.push_back(c.out_channels);
  std::vector<int64_t> wide;
  for (int64_t v : all) {
    if (v != static_cast<int32_t>(v)) wide.push_back(v);
  }
  return wide;
}

// Whether `message` states the integer `n` as a whole number: not inside a longer number, and
// (for n >= 0) not as the digits of a negative one. A token scan rather than a std::regex: this
// runs per refusal for every value of the case that does not fit int32, and building a regex
// per call cost more than the rest of the judging.
bool HasNumber(const std::string& message, int64_t n) {
  const std::string text = std::to_string(n);
  auto digit = [](char ch) { return ch >= '0' && ch <= '9'; };
  for (size_t at = message.find(text); at != std::string::npos; at = message.find(text, at + 1)) {
    const bool starts = at == 0 || (!digit(message[at - 1]) && message[at - 1] != '-');
    const size_t end = at + text.size();
    if (starts && (end == message.size() || !digit(message[end]))) return true;
  }
  return false;
}

// "names 2-d sizes (1 x 1) for a 1-d op" when a size list `re` finds in `message` (its first
// group) has other than `rank` entries after the first `leading` ones (the channels); nullopt
// when all agree or the op has no spatial dims.
std::optional<std::string> WrongRankSizes(const std::string& message, const RE2& re, int leading, int rank) {
  re2::StringPiece rest(message);
  std::string sizes;
  while (rank > 0 && RE2::FindAndConsume(&rest, re, &sizes)) {
    const int count = 1 + static_cast<int>(std::count(sizes.begin(), sizes.end(), 'x')) - leading;
    if (count != rank) return "names " + std::to_string(count) + "-d sizes (" + sizes + ") for a " + std::to_string(rank) + "-d op";
  }
  return std::nullopt;
}

// A value the message states differently from the case, or a wrong rank; nullopt when none.
std::optional<std::string> MisstatedValues(const ConvCase& c, const std::string& message) {
  for (int64_t v : WideValues(c)) {
    const auto cut = static_cast<int32_t>(v);
    // A small non-negative cut (2^32 + 1 -> 1) is indistinguishable from the other small
    // numbers every message has; a negative or large one is not.
    if (cut >= 0 && cut < 65536) continue;
    if (HasNumber(message, cut) && !HasNumber(message, v)) {
      return "names " + std::to_string(cut) + " where the case has " + std::to_string(v) +
             " (cut to 32 bits)";
    }
  }
  // Built once, read-only afterwards.
  static const RE2 groups_re(R"(groups=(-?\d+))");
  static const RE2 input_re(R"(input(?:\[| of size:? \[|, but got: ?\[| has sizes \[| has a shape of \[)([-0-9, ]*)\])");
  std::string found;
  if (RE2::PartialMatch(message, groups_re, &found) && found != std::to_string(c.groups)) {
    return "names groups=" + found + " where the case has groups=" + std::to_string(c.groups);
  }
  // The convolutions' "input[1, 3, 5]" / "input of size [..]", the pools' "for input, but
  // got:[..]", "input has sizes [..]" and "input has a shape of [..]".
  if (RE2::PartialMatch(message, input_re, &found) && ParseList(found) != c.input) {
    return "names input " + DimsText(ParseList(found)) + " where the case passed " + DimsText(c.input);
  }
  // "(5 x 7)": the convolutions' per-channel sizes, one per spatial dim; "size: (3x5x7)": the
  // pools' sizes, the channels and one per spatial dim (Pool.h pool2d_shape_check,
  // pool3d_shape_check).
  static const RE2 per_channel(R"(\((-?\d+(?: x -?\d+)*)\))");
  static const RE2 pool_sizes(R"(size: \((-?\d+(?:x-?\d+)+)\))");
  if (IsConvOp(c.op)) return WrongRankSizes(message, per_channel, 0, SpatialRank(c.op));
  return WrongRankSizes(message, pool_sizes, 1, SpatialRank(c.op));
}

}  // namespace

std::optional<std::string> WrongReason(const ConvCase& c, const RuleViolation& v, const std::string& message,
                                       const ReasonTable& table, const std::string& error_type) {
  std::vector<const ReasonPattern*> named;
  for (size_t i : MatchingPatterns(table, FamilyOf(c.op), message)) named.push_back(&table.patterns[i]);
  if (named.empty()) return "unmapped message (no " + table.framework + " pattern matches it)";
  std::vector<const ReasonPattern*> right;
  for (const ReasonPattern* p : named) {
    if (p->rule == v.rule) right.push_back(p);
  }
  if (right.empty()) {
    return std::string("names rule ") + RuleName(named.front()->rule) + ", the oracle names " + RuleName(v.rule);
  }
  if (!error_type.empty()) {
    std::string expected;
    for (const ReasonPattern* p : right) {
      const std::string want = ExpectedErrorType(table, *p);
      if (want.empty() || want == error_type) return MisstatedValues(c, message);
      expected = want;
    }
    return "raises " + error_type + " where the " + table.framework + " table expects " + expected + " for rule " +
           RuleName(v.rule);
  }
  return MisstatedValues(c, message);
}

void JudgeReason(CaseResult* r, const std::string& framework) {
  if (r->verdict != Verdict::kBothRejected || r->expected.ok()) return;
  const ReasonTable* table = ReasonTableFor(framework);
  if (!table) return;
  const RuleViolation& v = r->expected.violation();
  const std::string& type = r->outcome.error_type;
  const std::optional<std::string> why = WrongReason(r->c, v, r->outcome.message, *table, type);
  if (!why) return;
  r->verdict = Verdict::kWrongReason;
  r->property = PropertyFor(r->verdict);
  r->detail = *why + "\n  oracle:  " + RuleName(v.rule) + ": " + v.message + "\n  " + framework + ": " +
              (type.empty() ? "" : "(" + type + ") ") + r->outcome.message;
}

}  // namespace convcheck
