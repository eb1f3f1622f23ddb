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
