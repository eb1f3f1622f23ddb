#include "generators/conv_case_gen.h"

#include <algorithm>

#include "generators/onnx_case_gen.h"
#include "generators/raw_case.h"

namespace convcheck {

rc::Gen<ConvCase> ValidConvCase(const GenOptions& opts) {
  return rc::gen::map(RawCaseGen(opts, /*edge=*/false),
                      [opts](const RawCase& raw) { return DeriveValidCase(raw, opts); });
}

rc::Gen<ConvCase> EdgeConvCase(const GenOptions& opts) {
  std::vector<ConvCase> examples;
  for (ConvCase c : WorkedExamples()) {
    if (!opts.worked_examples) break;
    if (std::find(opts.ops.begin(), opts.ops.end(), c.op) == opts.ops.end()) continue;
    c.device = opts.device;
    examples.push_back(c);
  }
  auto edges = rc::gen::map(RawCaseGen(opts, /*edge=*/true),
                            [opts](const RawCase& raw) { return DeriveValidCase(raw, opts); });
  if (examples.empty()) return edges;
  auto dtype = rc::gen::elementOf(opts.dtypes);
  auto example = rc::gen::map(rc::gen::pair(rc::gen::elementOf(examples), dtype),
                              [](std::pair<ConvCase, DType> p) {
                                p.first.dtype = p.second;
                                return p.first;
                              });
  return rc::gen::weightedOneOf<ConvCase>({{5, edges}, {1, example}});
}

rc::Gen<ConvCase> MixedConvCase(const GenOptions& opts) {
  if (opts.onnx_geometry) {
    GenOptions pytorch = opts;
    pytorch.onnx_geometry = false;
    return rc::gen::weightedOneOf<ConvCase>({{3, MixedConvCase(pytorch)}, {2, MixedOnnxCase(opts)}});
  }
  auto invalid = rc::gen::map(InvalidConvCase(opts), [](const InvalidCase& ic) { return ic.c; });
  return rc::gen::weightedOneOf<ConvCase>(
      {{14, ValidConvCase(opts)}, {3, EdgeConvCase(opts)}, {3, invalid}});
}

std::vector<ConvCase> WorkedExamples() {
  std::vector<ConvCase> out;
  auto add = [&](Op op, Dims input, int64_t cout, Dims k, Dims s, Dims p, Dims op_pad,
                 bool bias) {
    ConvCase c = DefaultCase(op, std::move(input), cout);
    c.kernel = std::move(k);
    c.stride = std::move(s);
    c.padding = std::move(p);
    if (!op_pad.empty()) c.output_padding = std::move(op_pad);
    c.bias = bias;
    out.push_back(c);
  };
  // Conv2d(128,256,3,s2,p1) and its transpose on 24x24 and 25x25.
  add(Op::kConv2d, {1, 128, 24, 24}, 256, {3, 3}, {2, 2}, {1, 1}, {}, true);
  add(Op::kConvTranspose2d, {1, 256, 12, 12}, 128, {3, 3}, {2, 2}, {1, 1}, {0, 0}, true);
  add(Op::kConvTranspose2d, {1, 256, 12, 12}, 128, {3, 3}, {2, 2}, {1, 1}, {1, 1}, true);
  add(Op::kConv2d, {1, 128, 25, 25}, 256, {3, 3}, {2, 2}, {1, 1}, {}, true);
  add(Op::kConvTranspose2d, {1, 256, 13, 13}, 128, {3, 3}, {2, 2}, {1, 1}, {0, 0}, true);
  // Conv1d(1,1,1,s2) and its transpose: 100 -> 50 -> 99, 101 -> 51 -> 101.
  add(Op::kConv1d, {1, 1, 100}, 1, {1}, {2}, {0}, {}, true);
  add(Op::kConvTranspose1d, {1, 1, 50}, 1, {1}, {2}, {0}, {0}, true);
  add(Op::kConv1d, {1, 1, 101}, 1, {1}, {2}, {0}, {}, true);
  add(Op::kConvTranspose1d, {1, 1, 51}, 1, {1}, {2}, {0}, {0}, true);
  // Conv2d(3,6,3,s2,p1,bias=False) on 6x6 -> 3x3 (floor of 3.5).
  add(Op::kConv2d, {4, 3, 6, 6}, 6, {3, 3}, {2, 2}, {1, 1}, {}, false);
  // Conv2d(3,192,5,p2) keeps 32x32; without padding 28x28.
  add(Op::kConv2d, {1, 3, 32, 32}, 192, {5, 5}, {1, 1}, {2, 2}, {}, true);
  add(Op::kConv2d, {1, 3, 32, 32}, 192, {5, 5}, {1, 1}, {0, 0}, {}, true);
  // Projecting 768 features to 128: k = s = 6.
  add(Op::kConv1d, {197, 1, 768}, 1, {6}, {6}, {0}, {}, true);
  add(Op::kConv2d, {1, 197, 1, 768}, 197, {1, 6}, {6, 6}, {0, 0}, {}, true);
  return out;
}

std::vector<ConvCase> WorkedExampleCases(const GenOptions& opts) { return ForEachDType(WorkedExamples(), opts); }

std::vector<ConvCase> ForEachDType(const std::vector<ConvCase>& cases, const GenOptions& opts) {
  std::vector<ConvCase> out;
  for (ConvCase c : cases) {
    if (std::find(opts.ops.begin(), opts.ops.end(), c.op) == opts.ops.end()) continue;
    c.device = opts.device;
    for (DType t : opts.dtypes) {
      c.dtype = t;
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace convcheck
