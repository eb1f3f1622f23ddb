// Per framework, the words it uses to refuse each rule: the data RejectsForTheRightReason
// checks a refusal against, in the spirit of OpInfo's ErrorInput(..., error_regex=...). A
// framework is added by adding a table, never by editing the check.
#pragma once

#include <string>
#include <vector>

#include "oracles/layer_ops.h"
#include "oracles/rule.h"

namespace convcheck {

// One way a framework words a refusal of `rule`: an RE2 regex searched in its message,
// where it comes from (the source file and check, or the run that showed it), the op families
// whose refusals it words (the same rule has other words in a pool than in a convolution), and
// the exception type the framework raises with it.
struct ReasonPattern {
  Rule rule;
  std::string regex;
  std::string source;
  std::vector<OpFamily> families = {OpFamily::kConv};
  // The C++ name of the exception type (BackendOutcome::error_type, e.g. "c10::IndexError");
  // "" = the table's default_error_type.
  std::string error_type = "";
};

struct ReasonTable {
  std::string framework;  // Backend::Name(): "libtorch"
  // The type a refusal raises unless its pattern says otherwise; "" = types are not judged.
  // A backend that reports no type (BackendOutcome::error_type "", as the onnx, opencv and
  // torchscript backends do) is never judged on it either.
  std::string default_error_type;
  std::vector<ReasonPattern> patterns;
};

// The exception type `p` of `table` expects ("" = not judged).
std::string ExpectedErrorType(const ReasonTable& table, const ReasonPattern& p);

// The table for `framework`; nullptr when there is none (the property then does not run, and
// the run says so).
const ReasonTable* ReasonTableFor(const std::string& framework);

// Every table, for tests (each regex compiles; each rule the framework enforces is mapped).
const std::vector<ReasonTable>& AllReasonTables();

}  // namespace convcheck
