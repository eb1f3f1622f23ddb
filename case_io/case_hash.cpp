#include "case_io/case_hash.h"

#include "case_io/case_json.h"

namespace convcheck {

uint64_t Fnv1a64(std::string_view bytes, uint64_t h) {
  for (char ch : bytes) h = (h ^ static_cast<unsigned char>(ch)) * 0x100000001b3ULL;
  return h;
}

uint64_t StableCaseHash(const ConvCase& c) {
  // The properties that sample by it ask several times in a row for the same case (one salt
  // per subset): the last case's hash answers those.
  thread_local ConvCase last;
  thread_local uint64_t last_hash = 0;
  thread_local bool have_last = false;
  if (have_last && Identical(c, last)) return last_hash;
  last_hash = Fnv1a64(CaseToJsonLine(c));
  last = c;
  have_last = true;
  return last_hash;
}

uint64_t StableCaseHash(const ConvCase& c, const std::string& property) {
  return Fnv1a64(CaseToJsonLine(c) + "\n" + property);
}

}  // namespace convcheck
