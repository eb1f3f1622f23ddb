#include "engine/case_lines.h"

#include <algorithm>
#include <sstream>

#include "case_io/case_json.h"
#include "engine/corpus.h"
#include "properties/property_table.h"

namespace convcheck {
namespace {

// A corpus entry always carries "format"; a case never does (the case codec refuses the key).
bool LooksLikeEntry(const std::string& line) { return line.find("\"format\"") != std::string::npos; }

// The case and the extra property a line asks for, or the error naming the key.
bool ParseLine(const std::string& line, CaseItem* item, std::string* error) {
  if (!LooksLikeEntry(line)) {
    CaseParseResult parsed = ParseCaseText(line);
    if (!parsed.ok()) {
      *error = parsed.error;
      return false;
    }
    item->c = *parsed.value;
    return true;
  }
  EntryParseResult entry = ParseCorpusEntry(line);
  if (!entry.ok()) {
    *error = entry.error;
    return false;
  }
  const std::vector<std::string> known = AllPropertyNames();
  if (std::find(known.begin(), known.end(), entry.value->property) == known.end()) {
    *error = "property: unknown property \"" + entry.value->property + "\" (known: " + JoinNames(known) + ")";
    return false;
  }
  item->c = entry.value->c;
  const auto& base = BasePropertyNames();
  if (std::find(base.begin(), base.end(), entry.value->property) == base.end()) {
    item->properties = {entry.value->property};
  }
  return true;
}

}  // namespace

std::vector<CaseItem> ReadCaseLines(const std::string& file, const std::string& text,
                                    std::vector<std::string>* errors) {
  std::vector<CaseItem> items;
  std::istringstream lines(text);
  std::string line;
  const std::string name = file == "-" ? "stdin" : file;
  for (int number = 1; std::getline(lines, line); ++number) {
    const size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    CaseItem item;
    std::string error;
    if (!ParseLine(line, &item, &error)) {
      errors->push_back(file + ":" + std::to_string(number) + ": " + error);
      continue;
    }
    item.index = number;
    item.source = name + ":" + std::to_string(number);
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace convcheck
