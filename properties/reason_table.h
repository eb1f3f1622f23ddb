// Per framework, the words it uses to refuse each rule: the data RejectsForTheRightReason
// checks a refusal against, in the spirit of OpInfo's ErrorInput(..., error_regex=...). A
// framework is added by adding a table, never by editing the check.
#pragma once

#include <string>
#include <vector>

#include "oracles/rule.h"

namespace convcheck {

// One way a framework words a refusal of `rule`: an ECMAScript regex searched in its message,
// and where it comes from (the source file and check, or the run that showed it).
struct ReasonPattern {
  Rule rule;
  std::string regex;
  std::string source;
};

struct ReasonTable {
  std::string framework;  // Backend::Name(): "libtorch"
  std::vector<ReasonPattern> patterns;
};

// The table for `framework`; nullptr when there is none (the property then does not run, and
// the run says so).
const ReasonTable* ReasonTableFor(const std::string& framework);

// Every table, for tests (each regex compiles; each rule the framework enforces is mapped).
const std::vector<ReasonTable>& AllReasonTables();

}  // namespace convcheck
