"""The ONNX names of SD's components and of the sampler graphs, read from src/shared/modelContract.json: the file
the TypeScript pipeline reads too (src/shared/modelContract.ts), so both sides change a name in one place."""
import json
import os

_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "shared", "modelContract.json")
with open(_PATH) as _f:
    CONTRACT = json.load(_f)

TEXT_ENCODER = CONTRACT["sd"]["textEncoder"]
UNET = CONTRACT["sd"]["unet"]
VAE_DECODER = CONTRACT["sd"]["vaeDecoder"]
STEP_GRAPH = CONTRACT["stepGraph"]
SCALE_GRAPH = CONTRACT["scaleGraph"]

# (inputs, outputs) of each component, in the order the public exports declare them.
IO_NAMES = {
    "text_encoder": ([TEXT_ENCODER["inputIds"]], [TEXT_ENCODER["hiddenStates"]]),
    "unet": ([UNET["sample"], UNET["timestep"], UNET["textEmbeddings"]], [UNET["noisePrediction"]]),
    "vae_decoder": ([VAE_DECODER["latents"]], [VAE_DECODER["image"]]),
}


def _batch():
    return {0: "batch"}


def _batch_and_size():
    return {0: "batch", 2: "height", 3: "width"}


# The tiny model's dynamic axes: any batch, any latent size (the patcher and the pipeline read both from the graph).
DYNAMIC_AXES = {
    "text_encoder": {TEXT_ENCODER["inputIds"]: _batch(), TEXT_ENCODER["hiddenStates"]: _batch()},
    "unet": {UNET["sample"]: _batch_and_size(), UNET["timestep"]: _batch(), UNET["textEmbeddings"]: _batch(),
             UNET["noisePrediction"]: _batch_and_size()},
    "vae_decoder": {VAE_DECODER["latents"]: _batch_and_size(), VAE_DECODER["image"]: _batch_and_size()},
}
