#include "case_io/case_hash.h"

#include "case_io/case_json.h"

namespace convcheck {

uint64_t Fnv1a64(std::string_view bytes, uint64_t h) {
  for (char ch : bytes) h = (h ^ static_cast<unsigned char>(ch)) * 0x100000001b3ULL;
  return h;
}

uint64_t StableCaseHash(const ConvCase& c) { return Fnv1a64(CaseToJsonLine(c)); }

uint64_t StableCaseHash(const ConvCase& c, const std::string& property) {
  return Fnv1a64(CaseToJsonLine(c) + "\n" + property);
}

}  // namespace convcheck
