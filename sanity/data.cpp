#include "sanity/data.h"

#include <torch/script.h>

#include "case_io/text_file.h"

#include <fstream>
#include <iterator>
#include <sstream>

namespace convcheck::sanity {
namespace {

// Smooth per-class templates with unit spread: low-resolution noise upsampled for images (so
// classes differ in shape, as in a real image task), plain noise otherwise.
torch::Tensor Templates(const std::vector<int64_t>& sample_shape, int64_t classes,
                        at::Generator& gen) {
  std::vector<int64_t> shape = sample_shape;
  shape.insert(shape.begin(), classes);
  if (sample_shape.size() != 3) return torch::empty(shape).normal_(0, 1, gen);
  const int64_t h = sample_shape[1], w = sample_shape[2];
  torch::Tensor low = torch::empty({classes, sample_shape[0], h / 6 + 2, w / 6 + 2}).normal_(0, 1, gen);
  torch::Tensor t = at::upsample_bilinear2d(low, {h, w}, /*align_corners=*/false);
  return t / t.std().clamp_min(1e-6);
}

// Integer-valued "pixels" 0..255 of a class-structured task, with their labels.
void RawImages(const std::vector<int64_t>& sample_shape, int64_t n, int64_t classes,
               at::Generator& gen, torch::Tensor* raw, torch::Tensor* labels) {
  torch::Tensor templates = Templates(sample_shape, std::max<int64_t>(classes, 1), gen);
  *labels = torch::randint(std::max<int64_t>(classes, 1), {n}, gen, torch::kLong);
  torch::Tensor z = templates.index_select(0, *labels);
  z = z + 0.5 * torch::empty(z.sizes()).normal_(0, 1, gen);
  *raw = (128 + 50 * z).round().clamp(0, 255);
}

torch::Tensor ZScorePerChannel(const torch::Tensor& x) {
  std::vector<int64_t> dims = {0};
  for (int64_t d = 2; d < x.dim(); ++d) dims.push_back(d);
  return (x - x.mean(dims, true)) / x.std(dims, true, true).clamp_min(1e-12);
}

bool FromIValue(const c10::IValue& v, DataSet* out) {
  if (v.isTensor()) {
    out->x = v.toTensor();
    return true;
  }
  torch::Tensor x, y;
  if (v.isTuple() && v.toTupleRef().elements().size() == 2) {
    x = v.toTupleRef().elements()[0].toTensor();
    y = v.toTupleRef().elements()[1].toTensor();
  } else if (v.isList() && v.toListRef().size() == 2) {
    x = v.toListRef()[0].toTensor();
    y = v.toListRef()[1].toTensor();
  } else if (v.isGenericDict()) {
    auto d = v.toGenericDict();
    if (!d.contains("x")) return false;
    x = d.at("x").toTensor();
    if (d.contains("y")) y = d.at("y").toTensor();
  } else {
    return false;
  }
  out->x = x;
  if (y.defined() && y.is_floating_point()) out->targets = y.to(torch::kFloat).reshape({y.size(0), -1});
  else if (y.defined()) out->labels = y.to(torch::kLong).flatten();
  return true;
}

}  // namespace

std::vector<std::string> SyntheticDataNames() {
  return {"classes", "classes-unit", "classes-raw", "classes-u8", "gaussian", "uniform"};
}

bool MakeSyntheticData(const std::string& name, const std::vector<int64_t>& sample_shape,
                       int64_t n, int64_t classes, uint64_t seed, DataSet* out,
                       std::string* error) {
  at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  torch::NoGradGuard no_grad;
  *out = DataSet{};
  out->description = "synthetic:" + name;
  std::vector<int64_t> shape = sample_shape;
  shape.insert(shape.begin(), n);
  if (name == "gaussian") {
    out->x = torch::empty(shape).normal_(0, 1, gen);
  } else if (name == "uniform") {
    out->x = torch::empty(shape).uniform_(0, 1, gen);
  } else if (name.rfind("classes", 0) == 0) {
    torch::Tensor raw;
    RawImages(sample_shape, n, classes, gen, &raw, &out->labels);
    if (name == "classes") out->x = ZScorePerChannel(raw);
    else if (name == "classes-unit") out->x = raw / 255.0;
    else if (name == "classes-raw") out->x = raw;
    else if (name == "classes-u8") out->x = raw.to(torch::kUInt8);
    else return (*error = "unknown synthetic data '" + name + "'", false);
  } else {
    *error = "unknown synthetic data '" + name + "'";
    return false;
  }
  return true;
}

bool LoadTensorData(const std::string& path, DataSet* out, std::string* error) {
  *out = DataSet{};
  out->description = path;
  std::string text;
  // Data sets are bigger than JSON inputs, but /dev/zero must still not grow memory without end.
  if (!ReadTextFile(path, &text, error, size_t{1} << 30)) return false;
  std::vector<char> bytes(text.begin(), text.end());
  try {
    if (FromIValue(torch::pickle_load(bytes), out)) return true;
  } catch (const std::exception&) {
    // Not a pickle: a TorchScript archive holding the tensors as attributes is tried next.
  }
  try {
    std::istringstream archive(text);  // the bytes already read: never reopen the path
    torch::jit::Module m = torch::jit::load(archive);
    if (!m.hasattr("x")) return (*error = path + ": TorchScript module has no attribute 'x'", false);
    std::vector<c10::IValue> pair{m.attr("x")};
    if (m.hasattr("y")) pair.push_back(m.attr("y"));
    if (FromIValue(pair.size() == 2 ? c10::IValue(c10::ivalue::Tuple::create(pair)) : pair[0], out)) {
      return true;
    }
  } catch (const std::exception&) {
    *error = path + ": neither a torch.save tensor file nor a TorchScript archive";
    return false;
  }
  *error = path + ": expected a tensor, (x, y) or {\"x\": ..., \"y\": ...}";
  return false;
}

void AttachTargets(DataSet* data, bool regression, int64_t outputs, uint64_t seed) {
  if (regression ? data->targets.defined() : data->labels.defined()) return;
  torch::NoGradGuard no_grad;
  at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed ^ 0x7eac4e7ULL);
  torch::Tensor x = torch::nan_to_num(ModelInput(*data)).flatten(1);
  x = (x - x.mean(0, true)) / x.std(0, true, true).clamp_min(1e-6);
  torch::Tensor w = torch::empty({x.size(1), outputs}).normal_(0, 1, gen) / std::sqrt(x.size(1));
  torch::Tensor y = torch::tanh(x.matmul(w));
  if (regression) {
    data->targets = (y - y.mean(0, true)) / y.std(0, true, true).clamp_min(1e-6);
  } else {
    data->labels = y.argmax(1);
  }
}

torch::Tensor ModelInput(const DataSet& data) { return data.x.to(torch::kFloat); }

}  // namespace convcheck::sanity
