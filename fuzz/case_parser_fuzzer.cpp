// Fuzz target: arbitrary bytes into the case-JSON parser and the corpus-file reader. Neither may
// crash, leak, hang or hit undefined behaviour (built with ASan+UBSan); a parsed case must
// survive the rest of the pipeline that only reads it (oracle, explanation, reproducer lines)
// and its canonical line must parse back to the same case.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "engine/corpus.h"
#include "engine/reproducer.h"
#include "oracles/explain.h"
#include "case_io/case_json.h"
#include "oracles/output_shape.h"

namespace {

void CheckParsedCase(const convcheck::ConvCase& c) {
  using namespace convcheck;
  const std::string line = CaseToJsonLine(c);
  const CaseParseResult again = ParseCaseText(line);
  if (!again.ok() || *again.value != c) {
    std::fprintf(stderr, "=== BUG FOUND: case JSON does not round-trip\ncase: %s\nreparse: %s\n",
                 line.c_str(), again.ok() ? CaseToJsonLine(*again.value).c_str() : again.error.c_str());
    std::abort();
  }
  const ShapeResult expected = OutputShape(c);  // the oracle never throws
  (void)DescribeExpectation(expected);
  (void)ExplainShape(c);
  (void)CppRepro(c);
  (void)PythonRepro(c);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const convcheck::CaseParseResult parsed = convcheck::ParseCaseText(text);
  if (parsed.ok()) CheckParsedCase(*parsed.value);
  const convcheck::EntryParseResult entry = convcheck::ParseCorpusEntry(text);
  if (entry.ok()) {
    const std::string again = convcheck::CorpusEntryText(*entry.value);
    if (!convcheck::ParseCorpusEntry(again).ok()) {
      std::fprintf(stderr, "=== BUG FOUND: corpus entry does not round-trip\n%s\n", again.c_str());
      std::abort();
    }
  }
  return 0;
}
