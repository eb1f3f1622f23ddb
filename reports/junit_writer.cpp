#include "reports/junit_writer.h"

#include <map>
#include <tuple>

#include "case_io/case_json.h"
#include "reports/escape.h"
#include "reports/summarize.h"

namespace convcheck::report {
namespace {

// A testcase: the rows of one (property, op, device), dtypes summed.
struct Group {
  int64_t checks = 0;
  int64_t skipped = 0;
  int64_t unexpected = 0;
  int64_t xfail = 0;
  std::map<std::string, int64_t> skipped_by_reason;  // sums to `skipped` (SkipReasons)
};
using GroupKey = std::tuple<std::string, Op, Device>;

std::map<GroupKey, Group> Groups(const Report& r) {
  std::map<GroupKey, Group> groups;
  for (const CountsRow& row : r.counts) {
    Group& g = groups[{row.property, row.op, row.device}];
    for (Verdict v : kAllVerdicts) {
      g.checks += row.of(v);
      if (IsFailure(v)) g.unexpected += row.of(v);
    }
    g.unexpected -= row.xfail;
    g.skipped += row.of(Verdict::kSkipped);
    g.xfail += row.xfail;
    for (const auto& [reason, n] : SkipReasons(row)) g.skipped_by_reason[reason] += n;
  }
  return groups;
}

std::string CaseName(const GroupKey& k) {
  const Op op = std::get<1>(k);
  return std::string(OpName(op)) + ".rank" + std::to_string(SpatialRank(op)) + "." +
         DeviceName(std::get<2>(k));
}

void WriteFailure(const Failure& f, std::ostream& os) {
  os << XmlEscape(Signature(f)) << " (" << f.occurrences << " cases)\n"
       << "  oracle:  " << XmlEscape(f.expectation) << "\n"
       << "  backend: " << XmlEscape(f.outcome) << "\n"
       << "  case:    " << XmlEscape(CaseToJsonLine(f.minimal_case)) << "\n"
       << "  C++:     " << XmlEscape(f.cpp_repro) << "\n"
       << "  Python:  " << XmlEscape(f.python_repro) << "\n";
}

// Every failing testcase carries a reproducer. Shrinking may carry a case into another op (a
// 2d case minimized to 1d) or property, so a group whose own failures all moved lists those of
// its property, or else every failure, and says why.
void WriteFailureBody(const Report& r, const GroupKey& k, std::ostream& os) {
  int written = 0;
  for (const Failure& f : r.failures) {
    if (f.property != std::get<0>(k) || f.op != std::get<1>(k) || f.minimal_case.device != std::get<2>(k)) continue;
    WriteFailure(f, os);
    ++written;
  }
  if (written > 0) return;
  os << "(these divergences were minimized into cases of another op or property:)\n";
  for (const Failure& f : r.failures) {
    if (f.property == std::get<0>(k)) {
      WriteFailure(f, os);
      ++written;
    }
  }
  if (written > 0) return;
  for (const Failure& f : r.failures) WriteFailure(f, os);
  if (r.failures.empty()) os << "(no reproducer recorded: the report has no failure rows)\n";
}

void WriteTestcase(const Report& r, const GroupKey& k, const Group& g, std::ostream& os) {
  os << "    <testcase classname=\"convcheck." << XmlEscape(std::get<0>(k)) << "\" name=\""
     << CaseName(k) << "\" time=\"0\">\n";
  if (g.unexpected > 0) {
    os << "      <failure type=\"divergence\" message=\"" << g.unexpected << " of " << g.checks
       << " checks diverge from the oracle\">";
    WriteFailureBody(r, k, os);
    os << "</failure>\n";
  } else if (g.skipped == g.checks) {
    // Every check was skipped: say why (a skip is never a silent pass).
    const std::string why = g.checks == 0 ? "no checks recorded" : DescribeSkipReasons(g.skipped_by_reason);
    os << "      <skipped message=\"" << XmlEscape(why) << "\"/>\n";
  }
  os << "      <system-out>" << g.checks << " checks (" << g.checks - g.skipped << " executed), "
     << g.xfail << " xfail, " << g.skipped << " skipped";
  if (g.skipped > 0) os << ": " << XmlEscape(DescribeSkipReasons(g.skipped_by_reason));
  os << "</system-out>\n    </testcase>\n";
}

void WriteKnownSuite(const Report& r, std::ostream& os) {
  os << "  <testsuite name=\"convcheck.KnownDeviations\" tests=\"" << r.known.size()
     << "\" failures=\"0\" skipped=\"0\">\n";
  for (const KnownRow& k : r.known) {
    os << "    <testcase classname=\"convcheck.KnownDeviations\" name=\"" << XmlEscape(k.id)
       << "\" time=\"0\"><system-out>"
       << (k.xpass() ? "XPASS: the family agrees again, the deviation may be fixed. "
                     : (k.xfail > 0 ? "xfail. " : "not seen in this run. "))
       << k.xfail << " xfail, " << k.family_agreed << " family cases agree. "
       << XmlEscape(k.evidence) << "</system-out></testcase>\n";
  }
  os << "  </testsuite>\n";
}

}  // namespace

void WriteJUnit(const Report& r, std::ostream& os) {
  const auto groups = Groups(r);
  int64_t failing = 0, skipped = 0;
  for (const auto& [k, g] : groups) {
    failing += g.unexpected > 0;
    skipped += g.unexpected == 0 && g.skipped == g.checks;
  }
  const Context& c = r.context;
  const size_t tests = groups.size() + r.known.size() + (c.complete ? 0 : 1);
  os << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"convcheck\" tests=\"" << tests
     << "\" failures=\"" << failing + (c.complete ? 0 : 1) << "\" time=\"" << FormatSeconds(c.seconds) << "\">\n"
     << "  <testsuite name=\"convcheck.conformance\" tests=\"" << groups.size() + (c.complete ? 0 : 1)
     << "\" failures=\"" << failing + (c.complete ? 0 : 1) << "\" skipped=\"" << skipped
     << "\" timestamp=\"" << XmlEscape(c.start_time) << "\" time=\"" << FormatSeconds(c.seconds) << "\">\n"
     << "    <properties>\n";
  const std::pair<const char*, std::string> props[] = {
      {"framework", c.framework + " " + c.framework_version}, {"seed", std::to_string(c.seed)},
      // Cases run, then the property checks they made (several per case): two counts, two names.
      {"cases", std::to_string(c.cases)}, {"checks", std::to_string(r.totals.checks)},
      {"shard_count", std::to_string(c.shard_count)},
      {"tool", std::string("convcheck ") + c.tool_version + " " + c.git_revision},
      {"command_line", c.command_line}};
  for (const auto& [name, value] : props) {
    os << "      <property name=\"" << name << "\" value=\"" << XmlEscape(value) << "\"/>\n";
  }
  os << "    </properties>\n";
  if (!c.complete) {
    os << "    <testcase classname=\"convcheck.Run\" name=\"complete\" time=\"0\"><failure type=\"incomplete\" "
          "message=\"the run was interrupted or shards are missing: counts are partial\"/></testcase>\n";
  }
  for (const auto& [k, g] : groups) WriteTestcase(r, k, g, os);
  if (!r.library_output.empty()) {
    // Framework warnings are the run's stderr, captured from the workers (not a failure).
    os << "    <system-err>";
    for (const LibraryLine& l : r.library_output) os << l.count << "x " << XmlEscape(l.text) << "\n";
    os << "</system-err>\n";
  }
  os << "  </testsuite>\n";
  WriteKnownSuite(r, os);
  os << "</testsuites>\n";
}

}  // namespace convcheck::report
