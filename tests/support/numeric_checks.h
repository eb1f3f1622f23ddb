// The two checks the per-op numeric tests (pools, linear, flatten, elementwise layers) make
// with ValuesMatchReference and GradientIsTranspose: which of them a planted fault trips on a
// fixed list of cases, and that they hold on generated cases for a real backend.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "case_io/case_json.h"
#include "generators/pool_case_gen.h"
#include "properties/numeric_properties.h"
#include "tests/support/explained_result.h"
#include "tests/support/unused_backend.h"

namespace convcheck::testing {

// "VG": which of ValuesMatchReference (V) and GradientIsTranspose (G) find a value mismatch
// on some case of `cases` ("." where one does not). Every check must agree or mismatch.
inline std::string CaughtBy(std::shared_ptr<NumericBackend> numeric, const std::vector<ConvCase>& cases) {
  ValuesMatchReference values(NumericSetupFor(numeric));
  GradientIsTranspose gradients(NumericSetupFor(numeric));
  std::string caught;
  UnusedBackend shapes;
  for (CaseProperty* p : std::initializer_list<CaseProperty*>{&values, &gradients}) {
    bool failed = false;
    for (const ConvCase& c : cases) {
      const std::optional<CaseResult> r = p->Check(c, shapes);
      EXPECT_TRUE(r && (r->verdict == Verdict::kAgree || r->verdict == Verdict::kValueMismatch))
          << p->Name() << " on " << CaseToJsonLine(c) << ": " << (r ? r->detail : "not applicable");
      failed = failed || (r && r->verdict == Verdict::kValueMismatch);
    }
    caught += failed ? p->Name().substr(0, 1) : ".";
  }
  return caught;
}

// Property P agrees (or skips for an explained reason) on every case `generator` draws from
// `opts`, each with a drawn data seed; RapidCheck prints the seed and the counterexample.
template <typename P>
void HoldsOnGeneratedCases(std::shared_ptr<NumericBackend> numeric, rc::Gen<ConvCase> (*generator)(const GenOptions&),
                           const GenOptions& opts) {
  const bool ok = rc::check(std::string("values and gradients on ") + numeric->Name(), [&] {
    ConvCase c = *generator(opts);
    c.seed = *rc::gen::inRange<uint64_t>(0, 1000);
    P property(NumericSetupFor(numeric));
    UnusedBackend shapes;
    const std::optional<CaseResult> r = property.Check(c, shapes);
    RC_PRE(r.has_value());
    RC_TAG(OpName(c.op), VerdictName(r->verdict));
    if (!AgreesOrExplainedSkip(*r)) RC_FAIL(property.Name() + " " + VerdictName(r->verdict) + " on " + CaseToJsonLine(c) + "\n  " + r->detail);
  });
  EXPECT_TRUE(ok) << "see the counterexample above";
}

}  // namespace convcheck::testing
