"""Small model-independent ONNX graphs that let the sampler keep latents on the GPU.

step.onnx applies classifier-free guidance and one scheduler update as a linear
combination whose scalar coefficients the TypeScript scheduler computes per step:
    eps         = sum_i guidance_weights[i] * noise_pred[i]        (CFG: [1-g, g])
    next        = coefs[0] * latents + coefs[1] * eps + coefs[2] * fresh_noise + coefs[6] * prev_x0
    model_input = broadcast(next * coefs[3]) to noise_pred's batch
    x0          = coefs[4] * latents + coefs[5] * eps               (predicted clean latents)
prev_x0 is the previous step's x0 (multistep solvers such as DPM++ 2M use it; zeros otherwise).
scale.onnx multiplies a tensor by a scalar (latents / 0.18215 before the VAE decoder).
Run alone: /usr/bin/python3 models/tiny/sampler_graphs.py (writes public/graphs/).
"""
import os

import onnx
from onnx import helper, TensorProto


def _scalar(name, index):
    return helper.make_node("Gather", ["coefs", index], [name], axis=0)


def make_step_graph():
    idx = [helper.make_tensor(f"i{k}", TensorProto.INT64, [], [k]) for k in range(7)]
    shape4 = helper.make_tensor("weights_shape", TensorProto.INT64, [4], [-1, 1, 1, 1])
    axis0 = helper.make_tensor("axis0", TensorProto.INT64, [1], [0])
    nodes = [
        helper.make_node("Reshape", ["guidance_weights", "weights_shape"], ["w4"]),
        helper.make_node("Mul", ["noise_pred", "w4"], ["weighted"]),
        helper.make_node("ReduceSum", ["weighted", "axis0"], ["eps"], keepdims=1),
    ] + [_scalar(f"c{k}", f"i{k}") for k in range(7)] + [
        helper.make_node("Mul", ["latents", "c0"], ["a"]),
        helper.make_node("Mul", ["eps", "c1"], ["b"]),
        helper.make_node("Mul", ["fresh_noise", "c2"], ["c"]),
        helper.make_node("Add", ["a", "b"], ["ab"]),
        helper.make_node("Mul", ["prev_x0", "c6"], ["d"]),
        helper.make_node("Add", ["ab", "c"], ["abc"]),
        helper.make_node("Add", ["abc", "d"], ["next_latents"]),
        helper.make_node("Mul", ["next_latents", "c3"], ["scaled"]),
        helper.make_node("Shape", ["noise_pred"], ["batch_shape"]),
        helper.make_node("Expand", ["scaled", "batch_shape"], ["next_model_input"]),
        helper.make_node("Mul", ["latents", "c4"], ["x0a"]),
        helper.make_node("Mul", ["eps", "c5"], ["x0b"]),
        helper.make_node("Add", ["x0a", "x0b"], ["pred_x0"]),
    ]
    f32 = TensorProto.FLOAT
    graph = helper.make_graph(
        nodes, "sampler_step",
        [helper.make_tensor_value_info("noise_pred", f32, ["n", 4, "h", "w"]),
         helper.make_tensor_value_info("latents", f32, [1, 4, "h", "w"]),
         helper.make_tensor_value_info("fresh_noise", f32, [1, 4, "h", "w"]),
         helper.make_tensor_value_info("prev_x0", f32, [1, 4, "h", "w"]),
         helper.make_tensor_value_info("guidance_weights", f32, ["n"]),
         helper.make_tensor_value_info("coefs", f32, [7])],
        [helper.make_tensor_value_info("next_latents", f32, [1, 4, "h", "w"]),
         helper.make_tensor_value_info("next_model_input", f32, ["n", 4, "h", "w"]),
         helper.make_tensor_value_info("pred_x0", f32, [1, 4, "h", "w"])],
        initializer=idx + [shape4, axis0])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="studio-sampler-graphs")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def make_scale_graph():
    f32 = TensorProto.FLOAT
    graph = helper.make_graph(
        [helper.make_node("Mul", ["x", "factor"], ["y"])], "scale",
        [helper.make_tensor_value_info("x", f32, ["n", "c", "h", "w"]),
         helper.make_tensor_value_info("factor", f32, [1])],
        [helper.make_tensor_value_info("y", f32, ["n", "c", "h", "w"])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="studio-sampler-graphs")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def write_sampler_graphs(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    onnx.save(make_step_graph(), os.path.join(out_dir, "step.onnx"))
    onnx.save(make_scale_graph(), os.path.join(out_dir, "scale.onnx"))


if __name__ == "__main__":
    write_sampler_graphs(os.path.join(os.path.dirname(__file__), "..", "..", "public", "graphs"))
