#include "reports/outputs.h"

#include <functional>
#include <sstream>

#include "reports/atomic_file.h"
#include "reports/html_writer.h"
#include "reports/junit_writer.h"
#include "reports/markdown_writer.h"
#include "reports/report_json.h"

namespace convcheck::report {

bool WriteOutputs(const Report& r, const OutputPaths& paths, std::string* error) {
  using Writer = std::function<void(const Report&, std::ostream&)>;
  const std::pair<const std::string*, Writer> outputs[] = {
      {&paths.json, WriteJson}, {&paths.junit, WriteJUnit},
      {&paths.markdown, WriteMarkdown}, {&paths.html, WriteHtml}};
  for (const auto& [path, write] : outputs) {
    if (path->empty()) continue;
    std::ostringstream text;
    write(r, text);
    if (!WriteFileAtomically(*path, text.str(), error)) return false;
  }
  return true;
}

}  // namespace convcheck::report
