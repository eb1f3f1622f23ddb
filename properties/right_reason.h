// RejectsForTheRightReason: when the oracle and the backend both refuse a case, the backend's
// message must be one its framework's reason table (properties/reason_table.h) maps to the rule
// the oracle names, and it must name what the user passed: no value cut to 32 bits, the input
// and weight sizes as given (no invented batch dim), one size per spatial dim.
#pragma once

#include <optional>
#include <string>

#include "properties/reason_table.h"
#include "properties/verdict.h"

namespace convcheck {

// Why `message` (raised as `error_type`, "" = unknown) is the wrong refusal of `c`, whose oracle
// violation is `v`; nullopt when it is the right one. Only the patterns of `table` for c's op
// family count. The text starts "unmapped message" when none matches (a gap in the table,
// counted and reported, never passed), "names rule X" when it matches another rule, "raises T"
// when the right rule's pattern expects another exception type, "names ..." when it misstates a
// value or a rank.
// Example: conv1d with groups 2^31, message "Given groups=-2147483648, ..." ->
//   "names -2147483648 where the case has 2147483648 (cut to 32 bits)".
std::optional<std::string> WrongReason(const ConvCase& c, const RuleViolation& v, const std::string& message,
                                       const ReasonTable& table, const std::string& error_type = "");

// Turns a both_rejected `r` into wrong_reason (property RejectsForTheRightReason, both
// messages and the backend's error type in the detail) when the framework's table says the
// refusal is the wrong one. Other verdicts and frameworks without a table are left as they are.
void JudgeReason(CaseResult* r, const std::string& framework);

}  // namespace convcheck
