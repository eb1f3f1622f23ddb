#include "properties/right_reason.h"

#include "oracles/layer_ops.h"

#include <algorithm>
#include <cstdint>
#include <regex>
#include <list>
#include <mutex>
#include <sstream>
#include <unordered_map>
#include <vector>

namespace convcheck {
namespace {

// The compiled patterns of one table, built once per table (std::regex is slow to build). A
// list (its entries never move once added) under a lock: any thread may judge.
const std::vector<std::regex>& Compiled(const ReasonTable& table) {
  static std::mutex lock;
  static std::list<std::pair<const ReasonTable*, std::vector<std::regex>>> cache;
  const std::lock_guard<std::mutex> hold(lock);
  for (const auto& entry : cache) {
    if (entry.first == &table) return entry.second;
  }
  std::vector<std::regex> out;
  for (const ReasonPattern& p : table.patterns) out.emplace_back(p.regex, std::regex::ECMAScript);
  cache.emplace_back(&table, std::move(out));
  return cache.back().second;
}

// Which patterns of `table` that apply to `family` match `message` (their indices): a refusal's
// words depend on the case only through a few sizes, so the same message comes back often, and
// std::regex's backtracking search over a table costs tens of microseconds per refusal. The
// answers are remembered per thread (the engine judges on one thread; tests may use others),
// and forgotten wholesale when many distinct messages have been seen, which bounds the memory.
const std::vector<size_t>& MatchingPatterns(const ReasonTable& table, OpFamily family, const std::string& message) {
  constexpr size_t kMaxRemembered = 4096;
  thread_local std::unordered_map<std::string, std::vector<size_t>> remembered;
  std::string key = std::to_string(reinterpret_cast<uintptr_t>(&table)) + "/" +
                    std::to_string(static_cast<int>(family)) + "/" + message;
  if (auto it = remembered.find(key); it != remembered.end()) return it->second;
  if (remembered.size() >= kMaxRemembered) remembered.clear();
  const std::vector<std::regex>& compiled = Compiled(table);
  std::vector<size_t> matching;
  for (size_t i = 0; i < compiled.size(); ++i) {
    const ReasonPattern& p = table.patterns[i];
    if (std::find(p.families.begin(), p.families.end(), family) == p.families.end()) continue;
    if (std::regex_search(message, compiled[i])) matching.push_back(i);
  }
  return remembered.emplace(std::move(key), std::move(matching)).first->second;
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

// "names 2-d sizes (1 x 1) for a 1-d op" when a size list `re` finds in `message` has other
// than `rank` entries after the first `leading` ones (the channels); nullopt when all agree or
// the op has no spatial dims.
std::optional<std::string> WrongRankSizes(const std::string& message, const std::regex& re, int leading, int rank) {
  for (auto it = std::sregex_iterator(message.begin(), message.end(), re); rank > 0 && it != std::sregex_iterator(); ++it) {
    const std::string sizes = (*it)[1].str();
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
  // Built once: a std::regex costs far more to build than to run, and this runs per refusal.
  static const std::regex groups_re(R"(groups=(-?\d+))");
  static const std::regex input_re(
      R"(input(\[| of size:? \[|, but got: ?\[| has sizes \[| has a shape of \[)([-0-9, ]*)\])");
  std::smatch m;
  if (std::regex_search(message, m, groups_re) &&
      m[1].str() != std::to_string(c.groups)) {
    return "names groups=" + m[1].str() + " where the case has groups=" + std::to_string(c.groups);
  }
  // The convolutions' "input[1, 3, 5]" / "input of size [..]", the pools' "for input, but
  // got:[..]", "input has sizes [..]" and "input has a shape of [..]".
  if (std::regex_search(message, m, input_re) &&
      ParseList(m[2].str()) != c.input) {
    return "names input " + DimsText(ParseList(m[2].str())) + " where the case passed " + DimsText(c.input);
  }
  // "(5 x 7)": the convolutions' per-channel sizes, one per spatial dim; "size: (3x5x7)": the
  // pools' sizes, the channels and one per spatial dim (Pool.h pool2d_shape_check,
  // pool3d_shape_check).
  static const std::regex per_channel(R"(\((-?\d+( x -?\d+)*)\))");
  static const std::regex pool_sizes(R"(size: \((-?\d+(x-?\d+)+)\))");
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
