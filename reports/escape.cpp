#include "reports/escape.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace convcheck::report {

namespace {

constexpr char32_t kInvalid = 0xFFFFFFFF;
const char* const kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Decodes one UTF-8 sequence at s[*i], advancing *i; kInvalid for a malformed, overlong or
// surrogate sequence (consuming one byte), so a framework message with stray bytes still escapes.
char32_t NextCodePoint(const std::string& s, size_t* i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(*i);
  const int len = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || *i + static_cast<size_t>(len) > s.size()) return ++*i, kInvalid;
  char32_t cp = len == 1 ? b0 : b0 & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    if ((byte(*i + k) & 0xC0) != 0x80) return ++*i, kInvalid;
    cp = (cp << 6) | (byte(*i + k) & 0x3F);
  }
  static const char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return ++*i, kInvalid;
  *i += static_cast<size_t>(len);
  return cp;
}

// XML 1.0's Char production: JUnit readers reject a whole file over one character outside it.
bool IsXmlChar(char32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

}  // namespace

std::string XmlEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    const char32_t c = NextCodePoint(s, &i);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\r': out += "&#13;"; break;  // a literal CR would be normalised away by the parser
      default:
        if (c < 0x20 && c != '\n' && c != '\t') break;  // dropped: not representable in XML 1.0
        if (c == kInvalid || !IsXmlChar(c)) out += kReplacement;
        else out.append(s, start, i - start);
    }
  }
  return out;
}

std::string MarkdownCell(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    const char32_t c = NextCodePoint(s, &i);
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else if (c == '<' || c == '>' || c == '&') {  // raw HTML would render (or run) in a viewer
      out += c == '<' ? "&lt;" : c == '>' ? "&gt;" : "&amp;";
    } else if (c == kInvalid || c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
      out += kReplacement;  // control characters: terminal escapes and invisible text in a PR comment
    } else {
      out.append(s, start, i - start);
    }
  }
  return out;
}

std::string MarkdownFence(const std::string& language, const std::string& text) {
  size_t run = 0, longest = 0;
  std::string body;
  for (size_t i = 0; i < text.size();) {
    const size_t start = i;
    const char32_t c = NextCodePoint(text, &i);
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
    const bool control = c == kInvalid || (c < 0x20 && c != '\n' && c != '\t') || c == 0x7F;
    if (control) body += kReplacement;
    else body.append(text, start, i - start);
  }
  const std::string fence(std::max<size_t>(3, longest + 1), '`');
  return fence + language + "\n" + body + "\n" + fence + "\n";
}

std::string FormatRate(double x) {
  if (std::isnan(x)) return "n/a";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", x);
  return buf;
}

std::string FormatSeconds(double x) {
  if (std::isnan(x)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

}  // namespace convcheck::report
