// A case as a command hands it to the engine, and what judging it produced.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <rapidcheck.h>

#include "oracles/conv_case.h"
#include "properties/verdict.h"

namespace convcheck {

// One case as a command hands it to the engine.
struct CaseItem {
  ConvCase c;
  // A generated case's shrink tree; divergences of cases without one are reported as given.
  std::optional<rc::Shrinkable<ConvCase>> drawn;
  int64_t index = 0;   // key of the numeric sampling: stream index, line number, file number
  std::string source;  // where it came from, for the reproducer ("cases.jsonl:7")
  // Extra properties to check regardless of the run's selection and sampling (a corpus entry
  // names the property it was saved for); the run's selection applies as well.
  std::vector<std::string> properties;
  // A known deviation's exact example: the deviation must still show; agreeing is an XPASS.
  std::string known_id;
  std::string known_property;  // the property whose result decides the XPASS
};

// Everything one judged case produced: the base result first, then each property's result.
using CaseResults = std::vector<CaseResult>;

}  // namespace convcheck
