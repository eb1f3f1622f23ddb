// A failure's signature keeps apart what is a different bug: dtype, device, backend and the
// framework's message (its numbers aside).
#include <gtest/gtest.h>

#include "reports/report.h"

namespace convcheck::report {
namespace {

Failure Refusal(const std::string& outcome) {
  Failure f;
  f.property = "ValidityAgrees";
  f.verdict = Verdict::kBackendOnlyRejected;
  f.op = Op::kConv1d;
  f.backend = "libtorch";
  f.outcome = outcome;
  return f;
}

TEST(Signature, NamesDtypeDeviceBackendAndTheMessageWithoutItsNumbers) {
  const Failure f = Refusal("rejected: could not create a descriptor for stride 1048576");
  EXPECT_EQ(Signature(f), "ValidityAgrees/backend_only_rejected/conv1d/float32/cpu/libtorch/"
                          "could not create a descriptor for stride #");
}

TEST(Signature, TwoMessagesAreTwoSignaturesTheSameMessageWithOtherNumbersIsOne) {
  EXPECT_EQ(Signature(Refusal("rejected: Output size is too small (1 x 0)")),
            Signature(Refusal("rejected: Output size is too small (1 x -7)")));
  EXPECT_NE(Signature(Refusal("rejected: Output size is too small")),
            Signature(Refusal("rejected: could not create a descriptor")));
}

TEST(Signature, DeviceAndBackendSplitAndAShapeOutcomeAddsNoMessage) {
  Failure cpu = Refusal("shape [1, 2, 3]");
  Failure cuda = cpu;
  cuda.minimal_case.device = Device::kCuda;
  Failure onnx = cpu;
  onnx.backend = "onnxruntime";
  EXPECT_EQ(Signature(cpu), "ValidityAgrees/backend_only_rejected/conv1d/float32/cpu/libtorch");
  EXPECT_NE(Signature(cpu), Signature(cuda));
  EXPECT_NE(Signature(cpu), Signature(onnx));
}

}  // namespace
}  // namespace convcheck::report
