// The one reader of a .jsonl case file (`convcheck check FILE`, `convcheck replay FILE.jsonl`).
// A line is a case object, or a corpus entry on one line, which names the property to check for
// that case in the corpus entry's own codec (engine/corpus.h):
//   {"op": "conv1d", "input": [1, 2, 5], "out_channels": 2, "kernel": 3}
//   {"format": 1, "property": "ValuesMatchReference", "case": {"op": "conv1d", ...}}
// so one case can ask for the numeric properties while the rest of the file does not.
#pragma once

#include <string>
#include <vector>

#include "engine/engine.h"

namespace convcheck {

// One item per case line of `text` (blank lines and # comments skipped; item.index is the line
// number, item.source "FILE:LINE"). A malformed line, or an entry naming an unknown property,
// becomes "FILE:LINE: error" in `errors` and no item.
std::vector<CaseItem> ReadCaseLines(const std::string& file, const std::string& text,
                                    std::vector<std::string>* errors);

}  // namespace convcheck
