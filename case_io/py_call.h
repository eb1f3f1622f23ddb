// A tiny parser for the subset of Python a layer definition is written in:
// `self.up = nn.ConvTranspose2d(256, 128, (3, 3), stride=2, bias=False)`. It builds a syntax tree
// and never evaluates anything, so a user's pasted code is read as data: names stay names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace convcheck {

struct PyValue {
  // kName is a dotted identifier (`torch.bfloat16`, `True`, `x`); kCall's `text` is the callee.
  // kFloat (`2.0`, `1e-1`) keeps its source spelling in `text` and its value in `real`.
  enum class Kind { kInt, kString, kName, kTuple, kList, kCall, kFloat };
  Kind kind = Kind::kInt;
  int64_t integer = 0;
  std::string text;
  std::vector<PyValue> items;                              // tuple/list elements, call positionals
  std::vector<std::pair<std::string, PyValue>> keywords;  // call keywords, in order
  double real = 0;                                         // kFloat's value
};

// One top-level statement: an expression, optionally assigned (`self.conv1 = ...` gives target
// "self.conv1"). `line` is 1-based, for error messages.
struct PyStatement {
  std::string target;
  PyValue value;
  int line = 1;
};

struct PyParseResult {
  std::vector<PyStatement> statements;
  std::string error;  // one line: "line 1, column 18: expected ')' or ',', got '='"
  bool ok() const { return error.empty(); }
};

// Parses statements separated by newlines or ';' (newlines inside brackets continue a statement;
// `#` starts a comment). Integers must fit int64; a float literal must be finite; nesting is capped at 32 levels so hostile input
// cannot exhaust the stack. Never throws.
PyParseResult ParsePython(const std::string& text);

// The value as Python source, for messages: `(3, 3)`, `'same'`, `nn.Conv2d(...)`.
std::string PyValueText(const PyValue& v);

}  // namespace convcheck
