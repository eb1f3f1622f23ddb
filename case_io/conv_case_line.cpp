#include "case_io/conv_case_line.h"

#include <cstdint>

namespace convcheck {
namespace {

// nlohmann::json's dump of the same values: integers in decimal, lists without spaces, names
// quoted (enum names are plain ASCII, nothing to escape), keys followed by ": " and separated
// by ", " as MakeCaseJsonLine joins them.
class Line {
 public:
  Line() { out_.reserve(320); }
  Line& Key(const char* key) {
    out_ += out_.size() > 1 ? ", \"" : "\"";
    out_ += key;
    out_ += "\": ";
    return *this;
  }
  void Int(int64_t v) { out_ += std::to_string(v); }
  void Unsigned(uint64_t v) { out_ += std::to_string(v); }
  void Bool(bool v) { out_ += v ? "true" : "false"; }
  void Name(const char* s) {
    out_ += '"';
    out_ += s;
    out_ += '"';
  }
  void List(const Dims& d) {
    out_ += '[';
    for (size_t i = 0; i < d.size(); ++i) {
      if (i) out_ += ',';
      Int(d[i]);
    }
    out_ += ']';
  }
  // json_fields.h PerDim: one value when every entry is equal (0 for an empty list).
  void PerDim(const Dims& d) {
    for (int64_t v : d) {
      if (v != d.front()) return List(d);
    }
    Int(d.empty() ? 0 : d.front());
  }
  std::string Take() { return std::move(out_) + "}"; }

 private:
  std::string out_ = "{";
};

}  // namespace

std::string ConvCaseJsonLine(const ConvCase& c) {
  Line l;
  l.Key("op").Name(OpName(c.op));
  l.Key("input").List(c.input);
  l.Key("out_channels").Int(c.out_channels);
  l.Key("kernel").PerDim(c.kernel);
  l.Key("stride").PerDim(c.stride);
  if (c.auto_pad) l.Key("auto_pad").Name(AutoPadName(*c.auto_pad));
  l.Key("padding");
  if (c.padding_kind == PaddingKind::kSame) {
    l.Name("same");
  } else if (c.padding_kind == PaddingKind::kValid) {
    l.Name("valid");
  } else {
    l.PerDim(c.padding);
  }
  if (!c.padding_end.empty()) l.Key("padding_end").PerDim(c.padding_end);
  if (IsTransposed(c.op)) l.Key("output_padding").PerDim(c.output_padding);
  if (c.output_shape) l.Key("output_shape").PerDim(*c.output_shape);
  l.Key("dilation").PerDim(c.dilation);
  l.Key("groups").Int(c.groups);
  l.Key("bias").Bool(c.bias);
  l.Key("padding_mode").Name(PaddingModeName(c.padding_mode));
  l.Key("dtype").Name(DTypeName(c.dtype));
  l.Key("device").Name(DeviceName(c.device));
  if (c.layout != Layout::kContiguous) l.Key("layout").Name(LayoutName(c.layout));
  if (c.weight_shape) l.Key("weight_shape").List(*c.weight_shape);
  if (c.seed) l.Key("seed").Unsigned(*c.seed);
  return l.Take();
}

}  // namespace convcheck
