#include "backends/isolation/captured_output.h"

#include <cctype>

namespace convcheck {
namespace {

// Longest line kept: a library that prints a tensor must not grow the report without bound.
constexpr size_t kMaxLine = 1000;
// Distinct lines kept; further distinct lines are counted under one summary line.
constexpr size_t kMaxDistinct = 200;
const char* const kOverflow = "(more distinct lines than convcheck keeps)";

bool Digits(std::string_view s, size_t from, size_t n) {
  if (from + n > s.size()) return false;
  for (size_t i = from; i < from + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

// Length of glog's prefix "<sev><date> hh:mm:ss.uuuuuu <spaces><tid> " (date: mmdd in glog
// before 0.6, yyyymmdd after), or 0 when `s` does not start with one.
size_t GlogPrefixLength(std::string_view s) {
  if (s.empty() || std::string_view("IWEF").find(s[0]) == std::string_view::npos) return 0;
  size_t i = 1;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i - 1 != 4 && i - 1 != 8) return 0;
  if (i >= s.size() || s[i] != ' ' || !Digits(s, i + 1, 2) || s.substr(i + 3, 1) != ":") return 0;
  i += 1 + 8;  // " hh:mm:ss"
  if (s.substr(i, 1) != "." || !Digits(s, i + 1, 6)) return 0;
  i += 7;
  while (i < s.size() && s[i] == ' ') ++i;
  const size_t tid = i;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == tid || i >= s.size() || s[i] != ' ') return 0;
  return i + 1;
}

}  // namespace

std::string NormalizeLibraryLine(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  const size_t prefix = GlogPrefixLength(line);
  std::string out = prefix ? std::string(1, line[0]) + " " + std::string(line.substr(prefix)) : std::string(line);
  if (out.size() > kMaxLine) out = out.substr(0, kMaxLine) + "...";
  return out;
}

void CapturedOutput::AddLine(std::string_view raw) {
  std::string text = NormalizeLibraryLine(raw);
  if (text.empty()) return;
  for (CapturedLine& l : lines_) {
    if (l.text == text) {
      ++l.count;
      return;
    }
  }
  if (lines_.size() >= kMaxDistinct) {
    if (lines_.back().text != kOverflow) lines_.push_back({kOverflow, 0});
    ++lines_.back().count;
    return;
  }
  lines_.push_back({std::move(text), 1});
}

void CapturedOutput::Append(std::string_view bytes, std::string* pending) {
  for (char ch : bytes) {
    if (ch == '\n') {
      AddLine(*pending);
      pending->clear();
    } else if (pending->size() <= kMaxLine) {
      pending->push_back(ch);
    }
  }
}

void CapturedOutput::EndOf(std::string* pending) {
  if (!pending->empty()) AddLine(*pending);
  pending->clear();
}

int64_t CapturedOutput::Total() const {
  int64_t n = 0;
  for (const CapturedLine& l : lines_) n += l.count;
  return n;
}

}  // namespace convcheck
