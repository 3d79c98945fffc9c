"""Weight-only int8 quantization of an ONNX graph (no onnxruntime.quantization needed).

Each large float initializer that feeds a MatMul, Gemm, Conv or Gather is replaced by an
int8 initializer plus a DequantizeLinear node (symmetric, one scale per output channel),
so the file is ~4x smaller while every op still computes in fp32 on every backend.
"""
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

MIN_ELEMENTS = 1024  # small tensors (biases, norms) stay fp32: they cost nothing and matter for accuracy

# Which axis of the weight holds the output channels, per consumer op and input slot.
def channel_axis(node, weight_rank):
    if node.op_type == "Conv":
        return 0
    if node.op_type == "MatMul":
        return weight_rank - 1
    if node.op_type == "Gemm":
        trans_b = next((a.i for a in node.attribute if a.name == "transB"), 0)
        return 0 if trans_b else 1
    if node.op_type == "Gather":
        return 0
    return None


def quantize_weights_int8(model: onnx.ModelProto) -> onnx.ModelProto:
    graph = model.graph
    consumers = {}
    for node in graph.node:
        for slot, name in enumerate(node.input):
            consumers.setdefault(name, []).append((node, slot))
    new_initializers, new_nodes = [], []
    for init in graph.initializer:
        uses = consumers.get(init.name, [])
        weight = numpy_helper.to_array(init)
        quantizable = (
            init.data_type == TensorProto.FLOAT and weight.size >= MIN_ELEMENTS and uses
            and all(node.op_type in ("MatMul", "Gemm", "Conv", "Gather") and (slot == 1 or (node.op_type == "Gather" and slot == 0))
                    for node, slot in uses)
        )
        axes = {channel_axis(node, weight.ndim) for node, _ in uses} if quantizable else set()
        if not quantizable or len(axes) != 1:
            new_initializers.append(init)
            continue
        axis = axes.pop()
        reduce_axes = tuple(i for i in range(weight.ndim) if i != axis)
        scale = np.abs(weight).max(axis=reduce_axes) / 127.0
        scale = np.where(scale == 0, 1.0, scale).astype(np.float32)
        shape = [1] * weight.ndim
        shape[axis] = -1
        q = np.clip(np.round(weight / scale.reshape(shape)), -127, 127).astype(np.int8)
        base = init.name
        new_initializers += [
            numpy_helper.from_array(q, base + "_int8"),
            numpy_helper.from_array(scale, base + "_scale"),
            numpy_helper.from_array(np.zeros_like(scale, dtype=np.int8), base + "_zero_point"),
        ]
        new_nodes.append(helper.make_node("DequantizeLinear", [base + "_int8", base + "_scale", base + "_zero_point"],
                                          [base], name=base + "_dequantize", axis=axis))
    del graph.initializer[:]
    graph.initializer.extend(new_initializers)
    nodes = new_nodes + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model)
    return model
