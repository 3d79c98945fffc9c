"""Makes the random-weights tiny model (the test model) and the sampler graphs.

Run: npm run model:tiny   (uses Debian's python3-torch and python3-onnx: /usr/bin/python3)
Writes models/tiny/random/ (tokenizer, fp32 and int8 ONNX files, manifest.json) and public/graphs/ (sampler
step graphs). The PyTorch reference outputs the tests compare onnxruntime-web against are the built-in model's
(models/tiny/reference.json, written by the shapes install), so this script only prints its own. The built-in model the app serves (public/models/tiny-sd/)
is the trained shapes model (models/shapes/install_model.py), of the same architecture and file layout; tests
whose subject needs a model without learnt behaviour load this one instead (randomModelDir in
src/core/pipeline/testModel.test-support.ts, useRandomBuiltInModel in e2e/randomModel.ts).
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from architecture import TinyConfig, TextEncoder, UNet, VaeDecoder  # noqa: E402
from sampler_graphs import write_sampler_graphs  # noqa: E402
from sd_export import export_components, reference_inputs, write_manifest  # noqa: E402
from tokenizer_build import build_tokenizer  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "models", "tiny", "random")
GRAPHS = os.path.join(ROOT, "public", "graphs")
SEED = 20261121
IDENTITY = {
    "id": "tiny-sd-random",
    "name": "Tiny SD (random weights)",
    "description": "Built-in test model of Stable Diffusion's architecture with seeded random weights. "
                   "It proves the pipeline end to end and draws noise-like patterns, not pictures.",
    "randomWeights": True,
    "defaults": {"sampler": "euler", "steps": 4, "guidance": 7.5},
}


def main():
    torch.manual_seed(SEED)
    cfg = TinyConfig()
    tok = build_tokenizer(os.path.join(OUT, "tokenizer"))
    assert tok["vocab_size"] == cfg.vocab_size, tok["vocab_size"]

    text_encoder, unet, vae = TextEncoder(cfg).eval(), UNet(cfg).eval(), VaeDecoder(cfg).eval()
    with torch.no_grad():
        # Random decoders drift to near-constant output; widen the last layer so the demo
        # image shows the structure the pipeline produces instead of flat grey.
        vae.conv_out.weight.mul_(4.0)

    prompt = "a red cat and a blue dog"
    reference = export_components(text_encoder, unet, vae, OUT, prompt, reference_inputs(tok, cfg, prompt))
    write_sampler_graphs(GRAPHS)
    write_manifest(OUT, cfg, IDENTITY)
    print(f"out_sample sum {reference['out_sample_sum']:.3f}; image mean {reference['image_mean']:.3f} std {reference['image_std']:.3f}")


if __name__ == "__main__":
    main()
