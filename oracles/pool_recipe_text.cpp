// The Python text of a pooling recipe (oracles/pool_conventions.h): functional lines and modules.
#include <sstream>

#include "oracles/pool_conventions.h"

namespace convcheck {
namespace {

std::string Ints(const std::vector<int64_t>& v) {
  std::ostringstream os;
  os << "(";
  for (size_t i = 0; i < v.size(); ++i) os << (i ? ", " : "") << v[i];
  os << (v.size() == 1 ? ",)" : ")");
  return os.str();
}

// "2" when every dim agrees, "(2, 1)" otherwise: how PyTorch's constructors are usually written.
std::string Compact(const std::vector<int64_t>& v) {
  for (int64_t x : v) {
    if (x != v.front()) return Ints(v);
  }
  return std::to_string(v.front());
}

struct Columns {
  std::vector<int64_t> kernel, stride, padding, dilation, torch_pads;
  bool crop = false;
  std::string rank;
};

Columns Collect(const PoolConversion& c, const std::vector<ForeignDim>& dims) {
  Columns k;
  const size_t rank = std::min(c.dims.size(), dims.size());
  for (size_t i = 0; i < rank; ++i) {
    k.kernel.push_back(dims[i].kernel);
    k.stride.push_back(dims[i].stride);
    k.padding.push_back(c.dims[i].padding);
    k.dilation.push_back(dims[i].dilation);
    k.crop = k.crop || c.dims[i].crop_end > 0;
  }
  for (size_t i = rank; i-- > 0;) {  // F.pad lists the last dim first
    k.torch_pads.push_back(c.dims[i].pre_pad.left);
    k.torch_pads.push_back(c.dims[i].pre_pad.right);
  }
  k.rank = std::to_string(rank) + "d";
  return k;
}

bool Dilated(const Columns& k) {
  for (int64_t d : k.dilation) {
    if (d != 1) return true;
  }
  return false;
}

std::string CropLine(const PoolConversion& c) {
  std::string slice = "y = y[..., ";
  for (size_t i = 0; i < c.dims.size(); ++i) slice += (i ? ", " : "") + std::string(":") + std::to_string(c.dims[i].expected);
  return slice + "]  # drop the trailing windows the other framework does not make";
}

std::string PoolCall(const PoolConversion& c, const ForeignPool& p, const Columns& k, const std::string& input) {
  const bool max = p.kind == PoolKind::kMax;
  std::string call = std::string("F.") + (max ? "max" : "avg") + "_pool" + k.rank + "(" + input + ", kernel_size=" + Ints(k.kernel) +
                     ", stride=" + Ints(k.stride) + ", padding=" + Ints(k.padding);
  if (max && Dilated(k)) call += ", dilation=" + Ints(k.dilation);
  call += std::string(", ceil_mode=") + (c.ceil_mode ? "True" : "False");
  if (!max) call += std::string(", count_include_pad=") + (c.count_include_pad ? "True" : "False");
  return call + ")";
}

}  // namespace

std::vector<std::string> PoolRecipeLines(const PoolConversion& c, const ForeignPool& p, const std::vector<ForeignDim>& dims) {
  if (!c.ok()) return {};
  const Columns k = Collect(c, dims);
  std::vector<std::string> lines;
  switch (c.style) {
    case PoolRecipeStyle::kDirect:
      lines.push_back("y = " + PoolCall(c, p, k, "x"));
      break;
    case PoolRecipeStyle::kPrePad:
      lines.push_back("x = F.pad(x, " + Ints(k.torch_pads) +
                      (p.kind == PoolKind::kMax ? ", value=float('-inf'))  # last dim first" : ")  # zeros, last dim first"));
      lines.push_back("y = " + PoolCall(c, p, k, "x"));
      break;
    case PoolRecipeStyle::kMaskedAverage:
      lines.push_back("pads = " + Ints(k.torch_pads) + "  # zeros, last dim first");
      lines.push_back("total = " + PoolCall(c, p, k, "F.pad(x, pads)"));
      lines.push_back("count = " + PoolCall(c, p, k, "F.pad(torch.ones_like(x), pads)"));
      lines.push_back("y = total / count  # the sum over the real elements / their count");
      break;
  }
  if (k.crop) lines.push_back(CropLine(c));
  return lines;
}

std::vector<std::string> PoolModuleLines(const PoolConversion& c, const ForeignPool& p, const std::vector<ForeignDim>& dims) {
  if (!c.ok()) return {};
  if (c.style == PoolRecipeStyle::kMaskedAverage) {
    return {"no single module: PyTorch's padding cannot reproduce these windows while excluding the pads; "
            "put the functional recipe in a module's forward"};
  }
  const Columns k = Collect(c, dims);
  const bool max = p.kind == PoolKind::kMax;
  std::string pool = std::string("nn.") + (max ? "Max" : "Avg") + "Pool" + k.rank + "(kernel_size=" + Compact(k.kernel) +
                     ", stride=" + Compact(k.stride);
  bool padded = false;
  for (int64_t v : k.padding) padded = padded || v != 0;
  if (padded) pool += ", padding=" + Compact(k.padding);
  if (max && Dilated(k)) pool += ", dilation=" + Compact(k.dilation);
  if (c.ceil_mode) pool += ", ceil_mode=True";
  if (!max && !c.count_include_pad) pool += ", count_include_pad=False";
  pool += ")";
  std::vector<std::string> lines;
  if (c.style == PoolRecipeStyle::kPrePad) {
    lines.push_back("nn.Sequential(nn.ConstantPad" + k.rank + "(" + Ints(k.torch_pads) + (max ? ", float('-inf')), " : ", 0.0), ") +
                    pool + ")");
  } else {
    lines.push_back(pool);
  }
  if (k.crop) lines.push_back("then " + CropLine(c));
  return lines;
}

}  // namespace convcheck
