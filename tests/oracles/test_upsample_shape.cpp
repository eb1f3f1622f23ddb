// The up-samplers' rules (oracles/upsample_shape.h): max_unpool1d/2d/3d and upsample1d/2d/3d.
// Worked examples cite where each number comes from: torch/nn/functional.py
// _unpool_output_size and interpolate (1.13), the nn.MaxUnpool*/nn.Upsample docstrings, and
// LibTorch 1.13.1's at::max_unpool2d/3d and at::upsample_* run on this machine (the figures are
// in the comments). Laws tie max_unpool to max_pool and upsample to its exact product.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "oracles/layer_shape.h"
#include "oracles/upsample_shape.h"
#include "test_support.h"

namespace convcheck {
namespace {

using testing::Case;
using testing::Repro;
using testing::RuleOf;
using testing::ShapeOf;
using testing::ViolationOf;

TEST(MaxUnpoolShape, DefaultIsYMinusOneTimesStridePlusKernelMinusTwoPadding) {
  // nn.MaxUnpool2d docstring: MaxPool2d(2, stride=2) of a 4x4 input, unpooled, is 4x4 again.
  EXPECT_EQ(ShapeOf(R"({"op":"max_unpool2d","input":[1,1,2,2],"kernel":2,"stride":2})"), (Dims{1, 1, 4, 4}));
  // stride defaults to kernel_size (F.max_unpool2d: _stride = kernel_size when stride is None).
  EXPECT_EQ(ShapeOf(R"({"op":"max_unpool2d","input":[1,3,12,12],"kernel":2})"), (Dims{1, 3, 24, 24}));
  // (4 − 1)·2 + 3 − 2·1 = 7 (_unpool_output_size), per dim.
  EXPECT_EQ(ShapeOf(R"({"op":"max_unpool1d","input":[1,1,4],"kernel":3,"stride":2,"padding":1})"), (Dims{1, 1, 7}));
  EXPECT_EQ(ShapeOf(R"({"op":"max_unpool3d","input":[2,1,2,3,4],"kernel":[2,2,1],"stride":[2,3,1]})"), (Dims{2, 1, 4, 8, 4}));
  // Unbatched input (1.13 reads input.size()[-len(kernel_size) + d]); LibTorch's
  // at::max_unpool2d([3,12,12], output_size {24,24}) gives [3, 24, 24].
  EXPECT_EQ(ShapeOf(R"({"op":"max_unpool2d","input":[3,12,12],"kernel":2})"), (Dims{3, 24, 24}));
}

TEST(MaxUnpoolShape, ExplicitOutputSizeLiesStrictlyWithinAStrideOfTheDefault) {
  // nn.MaxUnpool2d docstring: the 4x4 unpool of a 2x2 takes output_size=[1, 1, 5, 5].
  EXPECT_EQ(ShapeOf(R"({"op":"max_unpool2d","input":[1,1,2,2],"kernel":2,"output_size":5})"), (Dims{1, 1, 5, 5}));
  EXPECT_EQ(ShapeOf(R"({"op":"max_unpool2d","input":[1,1,2,2],"kernel":2,"output_size":3})"), (Dims{1, 1, 3, 3}));
  // _unpool_output_size: `if not (min_size < output_size[d] < max_size)`: default 4, stride 2,
  // so 2 and 6 are refused.
  const RuleViolation v = ViolationOf(R"({"op":"max_unpool2d","input":[1,1,2,2],"kernel":2,"output_size":[4,6]})");
  EXPECT_EQ(v.rule, Rule::kUnpoolOutputSize);
  EXPECT_EQ(v.dim, 1);
  EXPECT_EQ(v.message, "dim 1: output_size 6 must be between 2 and 6 (exclusive; default size 4)");
  EXPECT_EQ(RuleOf(R"({"op":"max_unpool1d","input":[1,1,2],"kernel":2,"output_size":2})"), Rule::kUnpoolOutputSize);
  // The output_size check runs in Python before ATen's rank check.
  EXPECT_EQ(RuleOf(R"({"op":"max_unpool1d","input":[1,1,1,2],"kernel":2,"output_size":9})"), Rule::kUnpoolOutputSize);
}

TEST(MaxUnpoolShape, RefusalsInPyTorchsOrder) {
  // Fewer dims than kernel_size: an IndexError in _unpool_output_size; 5-d into max_unpool2d:
  // "Input to max_unpooling2d should be a 3d or 4d Tensor".
  EXPECT_EQ(RuleOf(R"({"op":"max_unpool2d","input":[4],"kernel":2})"), Rule::kInputRank);
  EXPECT_EQ(RuleOf(R"({"op":"max_unpool2d","input":[1,1,3,12,12],"kernel":2})"), Rule::kInputRank);
  // "Expected input to have non-zero size for non-batch dimensions" covers dims 1.. of what
  // ATen sees: LibTorch refuses [1,0,12,12] but returns [0, 24, 24] for the unbatched [0,12,12].
  EXPECT_EQ(RuleOf(R"({"op":"max_unpool2d","input":[1,0,12,12],"kernel":2})"), Rule::kEmptyInput);
  EXPECT_EQ(ShapeOf(R"({"op":"max_unpool2d","input":[0,12,12],"kernel":2})"), (Dims{0, 24, 24}));
  // max_unpool3d alone checks "strides should be greater than zero" (after the empty check);
  // max_unpool2d with stride 0 unpools to k − 2p.
  EXPECT_EQ(RuleOf(R"({"op":"max_unpool3d","input":[1,1,2,2,2],"kernel":2,"stride":[0,2,2]})"), Rule::kNonPositiveStride);
  EXPECT_EQ(RuleOf(R"({"op":"max_unpool3d","input":[1,0,2,2,2],"kernel":2,"stride":[0,2,2]})"), Rule::kEmptyInput);
  EXPECT_EQ(ShapeOf(R"({"op":"max_unpool2d","input":[1,1,5,5],"kernel":3,"stride":0})"), (Dims{1, 1, 3, 3}));
  // A negative size is refused (LibTorch: "numel: integer multiplication overflow" for
  // at::max_unpool2d([1,3,12,12], {-1, 24})); a zero size is an empty output (LibTorch gives
  // [1, 3, 0, 24] for {0, 24}).
  EXPECT_EQ(RuleOf(R"({"op":"max_unpool1d","input":[1,1,1],"kernel":1,"padding":1})"), Rule::kEmptyOutput);
  EXPECT_EQ(ShapeOf(R"({"op":"max_unpool2d","input":[1,1,1,1],"kernel":2,"padding":1})"), (Dims{1, 1, 0, 0}));
  EXPECT_EQ(ShapeOf(R"({"op":"max_unpool2d","input":[0,1,1,1],"kernel":2,"padding":1})"), (Dims{0, 1, 0, 0}));
  EXPECT_EQ(RuleOf(R"({"op":"max_unpool2d","input":[0,1,1,1],"kernel":2,"padding":2})"), Rule::kEmptyOutput);
  EXPECT_EQ(RuleOf(R"({"op":"max_unpool1d","input":[1,1,9223372036854775807],"kernel":2})"), Rule::kOverflow);
}

TEST(UpsampleShape, ScaleFactorTruncatesTheDoubleProduct) {
  // nn.Upsample docstring: a 2x2 input, scale_factor=2, mode nearest -> 4x4.
  EXPECT_EQ(ShapeOf(R"({"op":"upsample2d","input":[1,1,2,2],"scale_factor":2})"), (Dims{1, 1, 4, 4}));
  // compute_output_size: static_cast<double>(x) * scale into int64. LibTorch 1.13.1's
  // at::upsample_nearest1d gives 4 for 3 × 1.5 and 28 for 100 × 0.29 (= 28.999999999999996).
  EXPECT_EQ(ShapeOf(R"({"op":"upsample1d","input":[1,1,3],"scale_factor":1.5})"), (Dims{1, 1, 4}));
  EXPECT_EQ(ShapeOf(R"({"op":"upsample1d","input":[1,1,100],"scale_factor":0.29})"), (Dims{1, 1, 28}));
  EXPECT_EQ(UpsampleScaledSize(100, 0.29), 28);
  EXPECT_EQ(UpsampleScaledSize(10, 0.7), 7);  // 7.000000000000001
  EXPECT_EQ(ShapeOf(R"({"op":"upsample3d","input":[1,2,1,2,3],"scale_factor":[2,0.5,1]})"), (Dims{1, 2, 2, 1, 3}));
  EXPECT_EQ(ShapeOf(R"({"op":"upsample2d","input":[1,1,2,2],"size":[5,7],"mode":"bilinear","align_corners":true})"),
            (Dims{1, 1, 5, 7}));
}

TEST(UpsampleShape, RefusalsInPyTorchsOrder) {
  // interpolate: "align_corners option can only be set with the interpolating modes".
  EXPECT_EQ(RuleOf(R"({"op":"upsample2d","input":[1,1,2,2],"scale_factor":2,"align_corners":false})"), Rule::kUpsampleMode);
  // "Got 3D input, but bilinear mode needs 4D input".
  EXPECT_EQ(RuleOf(R"({"op":"upsample1d","input":[1,1,2],"scale_factor":2,"mode":"bilinear"})"), Rule::kUpsampleMode);
  EXPECT_EQ(ShapeOf(R"({"op":"upsample3d","input":[1,1,2,2,2],"size":4,"mode":"trilinear"})"), (Dims{1, 1, 4, 4, 4}));
  // interpolate dispatches on input.dim(): an upsample2d case takes a 4-d input only.
  EXPECT_EQ(RuleOf(R"({"op":"upsample2d","input":[1,2,2],"scale_factor":2})"), Rule::kInputRank);
  // "Input and output sizes should be greater than 0": 1 × 0.5 truncates to 0; LibTorch refuses
  // it, and a zero-sized spatial input likewise; N = 0 is accepted.
  EXPECT_EQ(RuleOf(R"({"op":"upsample1d","input":[1,1,1],"scale_factor":0.5})"), Rule::kEmptyOutput);
  EXPECT_EQ(RuleOf(R"({"op":"upsample1d","input":[1,1,3],"scale_factor":-2})"), Rule::kEmptyOutput);
  EXPECT_EQ(RuleOf(R"({"op":"upsample2d","input":[1,1,0,2],"scale_factor":2})"), Rule::kEmptyInput);
  EXPECT_EQ(RuleOf(R"({"op":"upsample2d","input":[1,1,2,2],"size":[0,4]})"), Rule::kEmptyOutput);
  EXPECT_EQ(ShapeOf(R"({"op":"upsample2d","input":[0,1,2,2],"scale_factor":2})"), (Dims{0, 1, 4, 4}));
  // "Non-empty 4D data tensor expected" once the spatial sizes pass: an empty channel dim.
  EXPECT_EQ(RuleOf(R"({"op":"upsample2d","input":[1,0,2,2],"scale_factor":2})"), Rule::kEmptyInput);
  // A product beyond int64 has no defined conversion: LibTorch on x86 gets INT64_MIN and
  // refuses it ("IntArrayRef contains an int that cannot be represented as a SymInt").
  EXPECT_EQ(RuleOf(R"({"op":"upsample1d","input":[1,1,3],"scale_factor":1e30})"), Rule::kOverflow);
}

// The windows of a max_pool (no dilation, floor mode) cover x − ((x + 2p − k) mod s) elements,
// and max_unpool with the same k, s, p restores exactly that many.
RC_GTEST_PROP(MaxUnpoolShape, DefaultRestoresWhatThePoolsWindowsCovered, ()) {
  const int64_t k = *rc::gen::inRange<int64_t>(1, 7), s = *rc::gen::inRange<int64_t>(1, 5);
  const int64_t p = *rc::gen::inRange<int64_t>(0, k / 2 + 1), x = *rc::gen::inRange<int64_t>(1, 200);
  ConvCase pool = DefaultCase(Op::kMaxPool1d, {1, 2, x}, 0);
  pool.kernel = {k};
  pool.stride = {s};
  pool.padding = {p};
  const ShapeResult y = OutputShape(pool);
  RC_PRE(y.ok());
  ConvCase unpool = pool;
  unpool.op = Op::kMaxUnpool1d;
  unpool.input = y.shape();
  const ShapeResult back = OutputShape(unpool);
  const int64_t covered = x - ((x + 2 * p - k) % s);
  RC_CLASSIFY(covered == x, "tiles exactly");
  if (covered < 0) {
    RC_ASSERT(!back.ok());
    return;
  }
  RC_ASSERT(back.ok());
  RC_ASSERT(back.shape() == (Dims{1, 2, covered}));
  // and output_size = x is always within a stride of that default
  unpool.output_size = {x};
  const ShapeResult exact = OutputShape(unpool);
  if (!exact.ok()) RC_FAIL(Repro(unpool) + ": " + exact.violation().message);
  RC_ASSERT(exact.shape() == (Dims{1, 2, x}));
}

RC_GTEST_PROP(UpsampleShape, IntegerScaleMultipliesAndSizeIsTaken, ()) {
  const int64_t x = *rc::gen::inRange<int64_t>(1, 1 << 20), k = *rc::gen::inRange<int64_t>(1, 64);
  const int rank = *rc::gen::inRange(1, 4);
  ConvCase c = DefaultCase(MakeOp(false, 1), {}, 0);
  c.op = rank == 1 ? Op::kUpsample1d : rank == 2 ? Op::kUpsample2d : Op::kUpsample3d;
  c.input = Dims(static_cast<size_t>(rank) + 2, 1);
  c.input.back() = x;
  c.scale_factor = std::vector<double>(static_cast<size_t>(rank), static_cast<double>(k));
  const ShapeResult r = OutputShape(c);
  RC_ASSERT(r.ok());
  RC_ASSERT(r.shape().back() == x * k);
  c.scale_factor.clear();
  c.output_size = Dims(static_cast<size_t>(rank), k);
  RC_ASSERT(OutputShape(c).shape().back() == k);
}

}  // namespace
}  // namespace convcheck
