#include "case_io/case_hash.h"

#include "case_io/case_json.h"
#include "oracles/last_case.h"

namespace convcheck {

uint64_t Fnv1a64(std::string_view bytes, uint64_t h) {
  for (char ch : bytes) h = (h ^ static_cast<unsigned char>(ch)) * 0x100000001b3ULL;
  return h;
}

uint64_t StableCaseHash(const ConvCase& c) {
  thread_local LastCase<uint64_t> last;  // properties ask once per salt, in a row
  return last.Get(c, [&] { return Fnv1a64(CaseToJsonLine(c)); });
}

uint64_t StableCaseHash(const ConvCase& c, const std::string& property) {
  return Fnv1a64(CaseToJsonLine(c) + "\n" + property);
}

}  // namespace convcheck
