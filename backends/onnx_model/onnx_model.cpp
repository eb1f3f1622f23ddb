#include "backends/onnx_model/onnx_model.h"

namespace convcheck {
namespace {

void SetTensorType(onnx::ValueInfoProto* v, const std::string& name, int elem_type, const Dims* shape) {
  v->set_name(name);
  onnx::TypeProto_Tensor* t = v->mutable_type()->mutable_tensor_type();
  t->set_elem_type(elem_type);
  if (!shape) return;
  onnx::TensorShapeProto* s = t->mutable_shape();
  for (int64_t d : *shape) s->add_dim()->set_dim_value(d);
}

void AddInts(onnx::NodeProto* node, const char* name, const Dims& values) {
  if (values.empty()) return;
  onnx::AttributeProto* a = node->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t v : values) a->add_ints(v);
}

void AddInitializer(onnx::GraphProto* g, const std::string& name, const Dims& shape, const std::vector<float>& data) {
  onnx::TensorProto* t = g->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : shape) t->add_dims(d);
  t->set_raw_data(std::string(reinterpret_cast<const char*>(data.data()), data.size() * sizeof(float)));
}

}  // namespace

onnx::ModelProto BuildOnnxModel(const OnnxNode& n, const OnnxWeights& weights) {
  onnx::ModelProto m;
  m.set_ir_version(onnx::IR_VERSION);
  m.set_producer_name("convcheck");
  onnx::OperatorSetIdProto* opset = m.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOnnxOpset);
  onnx::GraphProto* g = m.mutable_graph();
  g->set_name("convcheck");
  const bool init = !weights.w.empty();
  SetTensorType(g->add_input(), "X", n.elem_type, &n.x);
  if (init) {
    AddInitializer(g, "W", n.w, weights.w);
    if (n.bias) AddInitializer(g, "B", {*n.bias}, weights.b);
  } else {
    SetTensorType(g->add_input(), "W", n.elem_type, &n.w);
    if (n.bias) {
      const Dims b = {*n.bias};
      SetTensorType(g->add_input(), "B", n.elem_type, &b);
    }
  }
  // Y has X's rank and symbolic sizes ("y0", ...): the checker wants a shape on every graph
  // output, and shape inference replaces the symbols by the sizes it infers.
  onnx::ValueInfoProto* y = g->add_output();
  SetTensorType(y, "Y", n.elem_type, nullptr);
  onnx::TensorShapeProto* ys = y->mutable_type()->mutable_tensor_type()->mutable_shape();
  for (size_t i = 0; i < n.x.size(); ++i) ys->add_dim()->set_dim_param("y" + std::to_string(i));
  onnx::NodeProto* node = g->add_node();
  node->set_op_type(n.op_type);
  node->set_name("node");
  node->add_input("X");
  node->add_input("W");
  if (n.bias) node->add_input("B");
  node->add_output("Y");
  if (!n.auto_pad.empty()) {
    onnx::AttributeProto* a = node->add_attribute();
    a->set_name("auto_pad");
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s(n.auto_pad);
  }
  AddInts(node, "kernel_shape", n.kernel_shape);
  AddInts(node, "strides", n.strides);
  AddInts(node, "dilations", n.dilations);
  AddInts(node, "pads", n.pads);
  AddInts(node, "output_padding", n.output_padding);
  AddInts(node, "output_shape", n.output_shape);
  onnx::AttributeProto* group = node->add_attribute();
  group->set_name("group");
  group->set_type(onnx::AttributeProto::INT);
  group->set_i(n.group);
  return m;
}

}  // namespace convcheck
