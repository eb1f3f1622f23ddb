#include "case_io/case_binary.h"

#include <algorithm>
#include <cstring>

namespace convcheck {

void Writer::Grow(size_t n) { bytes_.resize(std::max<size_t>({bytes_.size() * 2, used_ + n, 256})); }

bool Reader::Take(size_t n, const char** out) {
  if (!ok_ || bytes_.size() - pos_ < n) return ok_ = false;
  *out = bytes_.data() + pos_;
  pos_ += n;
  return true;
}

bool Reader::U8(uint8_t* v) {
  const char* p = nullptr;
  if (!Take(1, &p)) return false;
  *v = static_cast<uint8_t>(*p);
  return true;
}

bool Reader::I64(int64_t* v) {
  const char* p = nullptr;
  if (!Take(8, &p)) return false;
  uint64_t u = 0;
  for (int i = 0; i < 8; ++i) u |= uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  *v = static_cast<int64_t>(u);
  return true;
}

bool Reader::Str(std::string* s) {
  int64_t n = 0;
  const char* p = nullptr;
  if (!I64(&n) || n < 0 || !Take(static_cast<size_t>(n), &p)) return ok_ = false;
  s->assign(p, static_cast<size_t>(n));
  return true;
}

bool Reader::DimList(Dims* d) {
  int64_t n = 0;
  // A dims list is at most a handful of entries; a larger count is a corrupt frame.
  if (!I64(&n) || n < 0 || n > 64) return ok_ = false;
  d->resize(static_cast<size_t>(n));
  for (int64_t& v : *d) {
    if (!I64(&v)) return false;
  }
  return true;
}

void PutCase(Writer& w, const ConvCase& c) {
  w.U8(static_cast<uint8_t>(c.op));
  w.DimList(c.input);
  w.I64(c.out_channels);
  for (const Dims* d : {&c.kernel, &c.stride, &c.padding, &c.output_padding, &c.dilation}) {
    w.DimList(*d);
  }
  w.U8(static_cast<uint8_t>(c.padding_kind));
  w.I64(c.groups);
  w.U8(c.bias ? 1 : 0);
  w.U8(static_cast<uint8_t>(c.padding_mode));
  w.U8(static_cast<uint8_t>(c.dtype));
  w.U8(static_cast<uint8_t>(c.device));
  w.U8(static_cast<uint8_t>(c.layout));
  w.U8(c.weight_shape ? 1 : 0);
  if (c.weight_shape) w.DimList(*c.weight_shape);
  w.U8(c.seed ? 1 : 0);
  if (c.seed) w.I64(static_cast<int64_t>(*c.seed));
  // The fields of the pooling, flatten and linear ops.
  w.U8(static_cast<uint8_t>((c.ceil_mode ? 1 : 0) | (c.count_include_pad ? 2 : 0) |
                            (c.divisor_override ? 4 : 0) | (c.in_features ? 8 : 0)));
  if (c.divisor_override) w.I64(*c.divisor_override);
  if (c.in_features) w.I64(*c.in_features);
  w.DimList(c.output_size);
  w.I64(c.start_dim);
  w.I64(c.end_dim);
  w.I64(c.out_features);
  // ONNX geometry: flags, then auto_pad, padding_end and output_shape.
  w.U8(static_cast<uint8_t>((c.auto_pad ? 1 : 0) | (c.output_shape ? 2 : 0)));
  if (c.auto_pad) w.U8(static_cast<uint8_t>(*c.auto_pad));
  w.DimList(c.padding_end);
  if (c.output_shape) w.DimList(*c.output_shape);
  // The up-samplers: scale_factor as the doubles' bit patterns, mode, align_corners.
  w.I64(static_cast<int64_t>(c.scale_factor.size()));
  for (double v : c.scale_factor) {
    int64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    w.I64(bits);
  }
  w.U8(static_cast<uint8_t>(c.upsample_mode));
  w.U8(static_cast<uint8_t>(!c.align_corners ? 0 : *c.align_corners ? 2 : 1));
}

std::string CaseKey(const ConvCase& c) {
  Writer w;
  w.Reserve(512);
  PutCase(w, c);
  return w.Take();
}

namespace {

bool GetOnnxGeometry(Reader& r, ConvCase* c) {
  uint8_t flags = 0;
  if (!r.U8(&flags)) return false;
  c->auto_pad.reset();
  c->output_shape.reset();
  if ((flags & 1) != 0) {
    AutoPad a = AutoPad::kNotSet;
    if (!GetEnum(r, AutoPad::kValid, &a)) return false;
    c->auto_pad = a;
  }
  if (!r.DimList(&c->padding_end)) return false;
  if ((flags & 2) != 0) {
    Dims shape;
    if (!r.DimList(&shape)) return false;
    c->output_shape = std::move(shape);
  }
  return true;
}

bool GetUpsampler(Reader& r, ConvCase* c) {
  int64_t n = 0;
  if (!r.I64(&n) || n < 0 || n > 64) return false;
  c->scale_factor.resize(static_cast<size_t>(n));
  for (double& v : c->scale_factor) {
    int64_t bits = 0;
    if (!r.I64(&bits)) return false;
    std::memcpy(&v, &bits, sizeof v);
  }
  uint8_t align = 0;
  if (!GetEnum(r, UpsampleMode::kTrilinear, &c->upsample_mode) || !r.U8(&align) || align > 2) return false;
  c->align_corners.reset();
  if (align != 0) c->align_corners = align == 2;
  return true;
}

}  // namespace

bool GetCase(Reader& r, ConvCase* c) {
  if (!GetEnum(r, Op::kUpsample3d, &c->op) || !r.DimList(&c->input) ||
      !r.I64(&c->out_channels)) {
    return false;
  }
  for (Dims* d : {&c->kernel, &c->stride, &c->padding, &c->output_padding, &c->dilation}) {
    if (!r.DimList(d)) return false;
  }
  uint8_t bias = 0, has_weight = 0, has_seed = 0;
  if (!GetEnum(r, PaddingKind::kValid, &c->padding_kind) || !r.I64(&c->groups) || !r.U8(&bias) ||
      !GetEnum(r, PaddingMode::kCircular, &c->padding_mode) ||
      !GetEnum(r, DType::kFloat16, &c->dtype) || !GetEnum(r, Device::kCuda, &c->device) ||
      !GetEnum(r, Layout::kChannelsLast, &c->layout) || !r.U8(&has_weight)) {
    return false;
  }
  c->bias = bias != 0;
  c->weight_shape.reset();
  if (has_weight) {
    Dims w;
    if (!r.DimList(&w)) return false;
    c->weight_shape = std::move(w);
  }
  c->seed.reset();
  if (!r.U8(&has_seed)) return false;
  if (has_seed) {
    int64_t s = 0;
    if (!r.I64(&s)) return false;
    c->seed = static_cast<uint64_t>(s);
  }
  uint8_t flags = 0;
  if (!r.U8(&flags)) return false;
  c->ceil_mode = (flags & 1) != 0;
  c->count_include_pad = (flags & 2) != 0;
  c->divisor_override.reset();
  c->in_features.reset();
  int64_t v = 0;
  if ((flags & 4) != 0) {
    if (!r.I64(&v)) return false;
    c->divisor_override = v;
  }
  if ((flags & 8) != 0) {
    if (!r.I64(&v)) return false;
    c->in_features = v;
  }
  if (!r.DimList(&c->output_size) || !r.I64(&c->start_dim) || !r.I64(&c->end_dim) || !r.I64(&c->out_features)) {
    return false;
  }
  return GetOnnxGeometry(r, c) && GetUpsampler(r, c);
}

}  // namespace convcheck
