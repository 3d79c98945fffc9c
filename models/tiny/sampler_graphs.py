"""Small model-independent ONNX graphs that let the sampler keep latents on the GPU.

step.onnx applies classifier-free guidance and one scheduler update as a linear
combination whose scalar coefficients the TypeScript scheduler computes per step
(named in src/shared/modelContract.json, stepGraph.coefficients, in the order of the coefs input):
    eps         = sum_i guidance_weights[i] * noise_pred[i]        (CFG: [1-g, g])
    next        = [latent] latents + [eps] eps + [freshNoise] fresh_noise + [previousX0] prev_x0
    model_input = broadcast([nextModelInputScale] next) to noise_pred's batch
    x0          = [x0Latent] latents + [x0Eps] eps                  (predicted clean latents)
prev_x0 is the previous step's x0 (multistep solvers such as DPM++ 2M use it; zeros otherwise).
scale.onnx multiplies a tensor by a scalar (latents / 0.18215 before the VAE decoder).
Run alone: /usr/bin/python3 models/tiny/sampler_graphs.py (writes public/graphs/).
"""
import os
import sys

import onnx
from onnx import helper, TensorProto

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from sd_contract import SCALE_GRAPH, STEP_GRAPH  # noqa: E402

IN, OUT = STEP_GRAPH["inputs"], STEP_GRAPH["outputs"]
COEFFICIENTS = STEP_GRAPH["coefficients"]


def coef(name):
    """The graph's tensor holding one named coefficient (gathered from coefs at the contract's position)."""
    return f"c{COEFFICIENTS.index(name)}"


def make_step_graph():
    count = len(COEFFICIENTS)
    idx = [helper.make_tensor(f"i{k}", TensorProto.INT64, [], [k]) for k in range(count)]
    shape4 = helper.make_tensor("weights_shape", TensorProto.INT64, [4], [-1, 1, 1, 1])
    axis0 = helper.make_tensor("axis0", TensorProto.INT64, [1], [0])
    nodes = [
        helper.make_node("Reshape", [IN["guidanceWeights"], "weights_shape"], ["w4"]),
        helper.make_node("Mul", [IN["noisePrediction"], "w4"], ["weighted"]),
        helper.make_node("ReduceSum", ["weighted", "axis0"], ["eps"], keepdims=1),
    ] + [helper.make_node("Gather", [IN["coefficients"], f"i{k}"], [f"c{k}"], axis=0) for k in range(count)] + [
        helper.make_node("Mul", [IN["latents"], coef("latent")], ["a"]),
        helper.make_node("Mul", ["eps", coef("eps")], ["b"]),
        helper.make_node("Mul", [IN["freshNoise"], coef("freshNoise")], ["c"]),
        helper.make_node("Add", ["a", "b"], ["ab"]),
        helper.make_node("Mul", [IN["previousX0"], coef("previousX0")], ["d"]),
        helper.make_node("Add", ["ab", "c"], ["abc"]),
        helper.make_node("Add", ["abc", "d"], [OUT["nextLatents"]]),
        helper.make_node("Mul", [OUT["nextLatents"], coef("nextModelInputScale")], ["scaled"]),
        helper.make_node("Shape", [IN["noisePrediction"]], ["batch_shape"]),
        helper.make_node("Expand", ["scaled", "batch_shape"], [OUT["nextModelInput"]]),
        helper.make_node("Mul", [IN["latents"], coef("x0Latent")], ["x0a"]),
        helper.make_node("Mul", ["eps", coef("x0Eps")], ["x0b"]),
        helper.make_node("Add", ["x0a", "x0b"], [OUT["predictedX0"]]),
    ]
    f32 = TensorProto.FLOAT
    graph = helper.make_graph(
        nodes, "sampler_step",
        [helper.make_tensor_value_info(IN["noisePrediction"], f32, ["n", 4, "h", "w"]),
         helper.make_tensor_value_info(IN["latents"], f32, [1, 4, "h", "w"]),
         helper.make_tensor_value_info(IN["freshNoise"], f32, [1, 4, "h", "w"]),
         helper.make_tensor_value_info(IN["previousX0"], f32, [1, 4, "h", "w"]),
         helper.make_tensor_value_info(IN["guidanceWeights"], f32, ["n"]),
         helper.make_tensor_value_info(IN["coefficients"], f32, [count])],
        [helper.make_tensor_value_info(OUT["nextLatents"], f32, [1, 4, "h", "w"]),
         helper.make_tensor_value_info(OUT["nextModelInput"], f32, ["n", 4, "h", "w"]),
         helper.make_tensor_value_info(OUT["predictedX0"], f32, [1, 4, "h", "w"])],
        initializer=idx + [shape4, axis0])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="studio-sampler-graphs")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def make_scale_graph():
    f32 = TensorProto.FLOAT
    x, factor, y = SCALE_GRAPH["inputs"]["x"], SCALE_GRAPH["inputs"]["factor"], SCALE_GRAPH["outputs"]["y"]
    graph = helper.make_graph(
        [helper.make_node("Mul", [x, factor], [y])], "scale",
        [helper.make_tensor_value_info(x, f32, ["n", "c", "h", "w"]),
         helper.make_tensor_value_info(factor, f32, [1])],
        [helper.make_tensor_value_info(y, f32, ["n", "c", "h", "w"])])
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
