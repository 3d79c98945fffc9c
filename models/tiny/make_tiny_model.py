"""Makes the built-in tiny model (seeded random weights) and the sampler graphs.

Run: npm run model:tiny   (uses Debian's python3-torch and python3-onnx: /usr/bin/python3)
Writes public/models/tiny-sd/ (tokenizer, fp32 and int8 ONNX files, manifest.json),
public/graphs/ (sampler step graphs) and models/tiny/reference.json (PyTorch outputs
that the TypeScript tests compare onnxruntime-web against).
"""
import hashlib
import json
import os
import sys

import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.dirname(__file__))
from architecture import TinyConfig, TextEncoder, UNet, VaeDecoder  # noqa: E402
from quantize_int8 import quantize_weights_int8  # noqa: E402
from sampler_graphs import write_sampler_graphs  # noqa: E402
from tokenizer_build import build_tokenizer  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "public", "models", "tiny-sd")
GRAPHS = os.path.join(ROOT, "public", "graphs")
SEED = 20261121
OPSET = 17
LATENT = 16  # 16x16x4 latent -> 128x128 image


def export(module, args, path, input_names, output_names, dynamic_axes):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    torch.onnx.export(module, args, path, input_names=input_names, output_names=output_names,
                      dynamic_axes=dynamic_axes, opset_version=OPSET, do_constant_folding=True)
    model = onnx.load(path)
    onnx.checker.check_model(model)
    return model


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


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
    ids = tok["encode"](prompt)
    input_ids = torch.full((2, cfg.max_length), tok["eos_id"], dtype=torch.int32)
    input_ids[1, :len(ids)] = torch.tensor(ids, dtype=torch.int32)
    input_ids[0, 0] = tok["bos_id"]  # row 0: the empty (negative) prompt
    sample = torch.randn(2, cfg.latent_channels, LATENT, LATENT)
    timestep = torch.tensor([999.0, 999.0])
    with torch.no_grad():
        hidden = text_encoder(input_ids)
        noise_pred = unet(sample, timestep, hidden)
        image = vae(sample[:1] / 0.18215)

    files = {
        "text_encoder": export(text_encoder, (input_ids,), os.path.join(OUT, "text_encoder", "model.onnx"),
                               ["input_ids"], ["last_hidden_state"], {"input_ids": {0: "batch"}, "last_hidden_state": {0: "batch"}}),
        "unet": export(unet, (sample, timestep, hidden), os.path.join(OUT, "unet", "model.onnx"),
                       ["sample", "timestep", "encoder_hidden_states"], ["out_sample"],
                       {"sample": {0: "batch", 2: "height", 3: "width"}, "timestep": {0: "batch"},
                        "encoder_hidden_states": {0: "batch"}, "out_sample": {0: "batch", 2: "height", 3: "width"}}),
        "vae_decoder": export(vae, (sample[:1],), os.path.join(OUT, "vae_decoder", "model.onnx"),
                              ["latent_sample"], ["sample"],
                              {"latent_sample": {0: "batch", 2: "height", 3: "width"}, "sample": {0: "batch", 2: "height", 3: "width"}}),
    }
    for name, model in files.items():
        onnx.save(quantize_weights_int8(model), os.path.join(OUT, name, "model_int8.onnx"))

    write_sampler_graphs(GRAPHS)

    write_manifest(cfg, tok)
    reference = {
        "prompt": prompt,
        "input_ids": input_ids.tolist(),
        "sample": sample.flatten().tolist(),
        "timestep": timestep.tolist(),
        "last_hidden_state_head": hidden.flatten()[:64].tolist(),
        "last_hidden_state_sum": float(hidden.sum()),
        "out_sample_head": noise_pred.flatten()[:64].tolist(),
        "out_sample_sum": float(noise_pred.sum()),
        "image_head": image.flatten()[:64].tolist(),
        "image_mean": float(image.mean()), "image_std": float(image.std()),
    }
    with open(os.path.join(ROOT, "models", "tiny", "reference.json"), "w") as f:
        json.dump(reference, f)
    print(f"noise_pred std {noise_pred.std():.3f}; image mean {image.mean():.3f} std {image.std():.3f}")


def write_manifest(cfg, tok):
    paths = []
    for dirpath, _, names in os.walk(OUT):
        for n in names:
            if n != "manifest.json":
                paths.append(os.path.relpath(os.path.join(dirpath, n), OUT))
    paths.sort()
    component_files = lambda suffix: {  # noqa: E731
        "textEncoder": f"text_encoder/{suffix}", "unet": f"unet/{suffix}", "vaeDecoder": f"vae_decoder/{suffix}"}
    manifest = {
        "id": "tiny-sd-random",
        "name": "Tiny SD (random weights)",
        "description": "Built-in test model of Stable Diffusion's architecture with seeded random weights. "
                       "It proves the pipeline end to end and draws noise-like patterns, not pictures.",
        "licence": "MIT",
        "architecture": "sd1",
        "randomWeights": True,
        "resolution": {"width": LATENT * 8, "height": LATENT * 8},
        "latent": {"channels": cfg.latent_channels, "scalingFactor": 0.18215, "downsample": 8},
        "text": {"maxLength": cfg.max_length, "hiddenSize": cfg.text_dim},
        "predictionType": "epsilon",
        "defaults": {"sampler": "euler", "steps": 4, "guidance": 7.5},
        "tokenizer": {"dir": "tokenizer"},
        "variants": [
            {"id": "fp32", "dtype": "fp32", "requires": [], "files": component_files("model.onnx")},
            {"id": "int8", "dtype": "int8", "requires": [], "files": component_files("model_int8.onnx")},
        ],
        "files": [{"path": p, "size": os.path.getsize(os.path.join(OUT, p)), "sha256": sha256(os.path.join(OUT, p))} for p in paths],
    }
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)


if __name__ == "__main__":
    main()
