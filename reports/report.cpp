#include "reports/report.h"

namespace convcheck::report {

namespace {

// The message of a refusal, crash or harness error with its numbers as # and at most 80
// characters, so one bug's cases share a key and two messages never do; "" for a shape.
std::string MessageClass(const std::string& outcome) {
  const size_t colon = outcome.find(": ");
  if (colon == std::string::npos || outcome.rfind("shape", 0) == 0 || outcome.rfind("valid", 0) == 0) return "";
  std::string out;
  for (size_t i = colon + 2; i < outcome.size() && out.size() < 80; ++i) {
    const char ch = outcome[i];
    const bool sign = ch == '-' && i + 1 < outcome.size() && outcome[i + 1] >= '0' && outcome[i + 1] <= '9';
    if (sign) continue;  // -7 and 0 are the same number here
    if (ch >= '0' && ch <= '9') {
      if (out.empty() || out.back() != '#') out += '#';
    } else {
      out += ch == '\n' ? ' ' : ch;
    }
  }
  return out;
}

}  // namespace

std::string Signature(const Failure& f) {
  // The dtype is part of the key: a bfloat16-only failure is a different bug from a float32 one;
  // so are the device, the backend and a different message.
  std::string key = f.property + "/" + VerdictName(f.verdict) + "/" + OpName(f.op) + "/" +
                    DTypeName(f.minimal_case.dtype) + "/" + DeviceName(f.minimal_case.device);
  for (const std::string& part : {f.backend, f.where, MessageClass(f.outcome)}) {
    if (!part.empty()) key += "/" + part;
  }
  return key;
}

}  // namespace convcheck::report
