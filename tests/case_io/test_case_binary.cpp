// The case's binary form (the worker wire) carries exactly what the JSON codec carries.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "case_io/case_binary.h"
#include "case_io/case_json.h"
#include "generators/conv_case_gen.h"

namespace convcheck {
namespace {

RC_GTEST_PROP(CaseBinary, RoundTripsEveryFieldAsTheJsonCodecDoes, ()) {
  GenOptions onnx;
  onnx.onnx_geometry = true;
  const ConvCase c = *rc::gen::oneOf(MixedConvCase(), ExtremeConvCase(), MixedConvCase(onnx));
  RC_CLASSIFY(IsOnnxGeometry(c), "onnx geometry");
  Writer w;
  PutCase(w, c);
  Reader r(w.bytes());
  ConvCase back;
  RC_ASSERT(GetCase(r, &back));
  RC_ASSERT(r.AtEnd());
  RC_ASSERT(back == c);
  RC_ASSERT(CaseToJsonLine(back) == CaseToJsonLine(c));
}

// CaseToJsonLine remembers lines by the case's binary form: a case printed after another must
// still get its own line, which only holds while the binary form tells every two cases apart
// (a field added to the JSON codec but not to PutCase would make this fail).
RC_GTEST_PROP(CaseBinary, EachCaseGetsItsOwnLineAfterAnotherWasPrinted, ()) {
  GenOptions onnx;
  onnx.onnx_geometry = true;
  const auto any = rc::gen::oneOf(MixedConvCase(), ExtremeConvCase(), MixedConvCase(onnx));
  const ConvCase a = *any;
  const ConvCase b = *any;
  const std::string line_a = CaseToJsonLine(a), line_b = CaseToJsonLine(b);
  const CaseParseResult back_a = ParseCaseText(line_a), back_b = ParseCaseText(line_b);
  RC_ASSERT(back_a.ok());
  RC_ASSERT(back_b.ok());
  RC_ASSERT(*back_a.value == a);
  RC_ASSERT(*back_b.value == b);
  RC_ASSERT((line_a == line_b) == (a == b));
  RC_ASSERT(CaseToJsonLine(a) == line_a);
}

RC_GTEST_PROP(CaseBinary, TruncatedBytesFailCleanly, ()) {
  GenOptions opts;
  opts.onnx_geometry = *rc::gen::arbitrary<bool>();
  const ConvCase c = *MixedConvCase(opts);
  Writer w;
  PutCase(w, c);
  const std::string bytes = w.bytes();
  const size_t cut = *rc::gen::inRange<size_t>(0, bytes.size());
  const std::string truncated = bytes.substr(0, cut);
  Reader r(truncated);
  ConvCase out;
  RC_ASSERT(!GetCase(r, &out));
}

}  // namespace
}  // namespace convcheck
