#include "case_io/py_call.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace convcheck {
namespace {

constexpr int kMaxDepth = 32;

// Thrown only inside this file and caught by ParsePython, which keeps the API exception-free.
struct SyntaxError {
  std::string message;
};

class Parser {
 public:
  explicit Parser(const std::string& text) : s_(text) {}

  std::vector<PyStatement> Statements() {
    std::vector<PyStatement> out;
    while (true) {
      SkipSpace(/*newlines=*/true);
      if (pos_ >= s_.size()) return out;
      if (s_[pos_] == ';') { ++pos_; continue; }
      PyStatement st;
      st.line = line_;
      st.value = Expression(0);
      SkipSpace(false);
      if (Peek() == '=' && st.value.kind == PyValue::Kind::kName) {
        ++pos_;
        st.target = st.value.text;
        st.value = Expression(0);
        SkipSpace(false);
      }
      if (pos_ < s_.size() && s_[pos_] != '\n' && s_[pos_] != ';') Fail("expected the end of the statement");
      out.push_back(std::move(st));
    }
  }

 private:
  [[noreturn]] void Fail(const std::string& what) const {
    std::string got = pos_ < s_.size() ? "'" + std::string(1, s_[pos_]) + "'" : "the end";
    throw SyntaxError{"line " + std::to_string(line_) + ", column " + std::to_string(pos_ - line_start_ + 1) +
                      ": " + what + ", got " + got};
  }

  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }

  // Inside brackets a newline is whitespace, as in Python.
  void SkipSpace(bool newlines) {
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '#') {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
      } else if (c == '\n' && (newlines || depth_ > 0)) {
        ++pos_;
        ++line_;
        line_start_ = pos_;
      } else if (c == ' ' || c == '\t' || c == '\r' || (c == '\\' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n')) {
        ++pos_;
      } else {
        return;
      }
    }
  }

  void Expect(char c) {
    SkipSpace(false);
    if (Peek() != c) Fail(std::string("expected '") + c + "'");
    ++pos_;
  }

  PyValue Expression(int depth) {
    if (depth > kMaxDepth) Fail("nesting deeper than " + std::to_string(kMaxDepth) + " levels");
    SkipSpace(false);
    const char c = Peek();
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+') return Integer();
    if (c == '\'' || c == '"') return String();
    if (c == '(' || c == '[') return Sequence(depth);
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      PyValue v;
      v.kind = PyValue::Kind::kName;
      v.text = DottedName();
      SkipSpace(false);
      if (Peek() == '(') return Call(std::move(v.text), depth);
      return v;
    }
    Fail("expected a value");
  }

  std::string DottedName() {
    std::string name;
    while (true) {
      const size_t start = pos_;
      while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) ++pos_;
      if (pos_ == start) Fail("expected a name after '.'");
      name += s_.substr(start, pos_ - start);
      if (Peek() != '.') return name;
      name += '.';
      ++pos_;
    }
  }

  PyValue Integer() {
    const size_t start = pos_;
    bool negative = false;
    if (Peek() == '-' || Peek() == '+') negative = s_[pos_++] == '-';
    SkipSpace(false);
    if (!std::isdigit(static_cast<unsigned char>(Peek()))) Fail("expected a digit");
    // Accumulate as unsigned so that -9223372036854775808 is accepted and anything larger is not.
    uint64_t magnitude = 0;
    const uint64_t limit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + (negative ? 1 : 0);
    while (std::isdigit(static_cast<unsigned char>(Peek())) || Peek() == '_') {
      if (s_[pos_] == '_') { ++pos_; continue; }
      const uint64_t digit = static_cast<uint64_t>(s_[pos_] - '0');
      if (magnitude > (limit - digit) / 10) Fail("integer outside int64");
      magnitude = magnitude * 10 + digit;
      ++pos_;
    }
    if (Peek() == '.' || Peek() == 'e' || Peek() == 'E') return Float(start);
    PyValue v;
    v.integer = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
    return v;
  }

  // The rest of a float literal whose sign and integer part start at `start` (scale_factor=1.5).
  PyValue Float(size_t start) {
    if (Peek() == '.') {
      ++pos_;
      while (std::isdigit(static_cast<unsigned char>(Peek()))) ++pos_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      if (Peek() == '-' || Peek() == '+') ++pos_;
      if (!std::isdigit(static_cast<unsigned char>(Peek()))) Fail("expected a digit in the exponent");
      while (std::isdigit(static_cast<unsigned char>(Peek()))) ++pos_;
    }
    PyValue v;
    v.kind = PyValue::Kind::kFloat;
    v.text = s_.substr(start, pos_ - start);
    std::string digits;
    for (char ch : v.text) {
      if (ch != ' ' && ch != '\t' && ch != '_') digits += ch;
    }
    char* end = nullptr;
    v.real = std::strtod(digits.c_str(), &end);
    if (end != digits.c_str() + digits.size() || !std::isfinite(v.real)) Fail("float outside double");
    return v;
  }

  PyValue String() {
    const char quote = s_[pos_++];
    PyValue v;
    v.kind = PyValue::Kind::kString;
    while (pos_ < s_.size() && s_[pos_] != quote && s_[pos_] != '\n') {
      if (s_[pos_] == '\\') Fail("escapes are not supported in strings");
      v.text += s_[pos_++];
    }
    if (Peek() != quote) Fail("unterminated string");
    ++pos_;
    return v;
  }

  // `(a, b)`, `(a,)`, `[a, b]`; a parenthesised single value `(a)` is just `a`, as in Python.
  PyValue Sequence(int depth) {
    const char open = s_[pos_++];
    const char close = open == '(' ? ')' : ']';
    ++depth_;
    PyValue v;
    v.kind = open == '(' ? PyValue::Kind::kTuple : PyValue::Kind::kList;
    bool trailing_comma = false;
    while (true) {
      SkipSpace(false);
      if (Peek() == close) break;
      v.items.push_back(Expression(depth + 1));
      SkipSpace(false);
      trailing_comma = Peek() == ',';
      if (trailing_comma) { ++pos_; continue; }
      if (Peek() != close) Fail(std::string("expected '") + close + "' or ','");
    }
    ++pos_;
    --depth_;
    if (open == '(' && v.items.size() == 1 && !trailing_comma) return v.items.front();
    return v;
  }

  PyValue Call(std::string callee, int depth) {
    ++pos_;
    ++depth_;
    PyValue v;
    v.kind = PyValue::Kind::kCall;
    v.text = std::move(callee);
    while (true) {
      SkipSpace(false);
      if (Peek() == ')') break;
      PyValue arg = Expression(depth + 1);
      SkipSpace(false);
      if (Peek() == '=' && arg.kind == PyValue::Kind::kName && arg.text.find('.') == std::string::npos) {
        ++pos_;
        for (const auto& kw : v.keywords) {
          if (kw.first == arg.text) Fail("keyword argument '" + arg.text + "' repeated");
        }
        v.keywords.emplace_back(arg.text, Expression(depth + 1));
        SkipSpace(false);
      } else if (!v.keywords.empty()) {
        Fail("positional argument after a keyword argument");
      } else {
        v.items.push_back(std::move(arg));
      }
      if (Peek() == ',') { ++pos_; continue; }
      if (Peek() != ')') Fail("expected ')' or ','");
    }
    ++pos_;
    --depth_;
    return v;
  }

  const std::string& s_;
  size_t pos_ = 0;
  int line_ = 1;
  size_t line_start_ = 0;
  int depth_ = 0;  // open brackets: newlines inside them do not end a statement
};

}  // namespace

PyParseResult ParsePython(const std::string& text) {
  PyParseResult r;
  try {
    r.statements = Parser(text).Statements();
    if (r.statements.empty()) r.error = "empty: expected a layer such as nn.Conv2d(3, 8, 3)";
  } catch (const SyntaxError& e) {
    r.statements.clear();
    r.error = e.message;
  }
  return r;
}

std::string PyValueText(const PyValue& v) {
  auto join = [](const std::vector<PyValue>& items) {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + PyValueText(items[i]);
    return out;
  };
  switch (v.kind) {
    case PyValue::Kind::kInt: return std::to_string(v.integer);
    case PyValue::Kind::kFloat: return v.text;
    case PyValue::Kind::kString: return "'" + v.text + "'";
    case PyValue::Kind::kName: return v.text;
    case PyValue::Kind::kTuple: return "(" + join(v.items) + (v.items.size() == 1 ? ",)" : ")");
    case PyValue::Kind::kList: return "[" + join(v.items) + "]";
    case PyValue::Kind::kCall: {
      std::string out = v.text + "(" + join(v.items);
      for (const auto& kw : v.keywords) out += (out.back() == '(' ? "" : ", ") + kw.first + "=" + PyValueText(kw.second);
      return out + ")";
    }
  }
  return "";
}

}  // namespace convcheck
