"""Writes an SD-architecture model (text encoder, UNet, VAE decoder) in the built-in model's layout: fp32 and int8
ONNX files under the contract's names, manifest.json, and PyTorch reference outputs the TypeScript tests compare
onnxruntime against. make_tiny_model.py (seeded random weights) and models/shapes/export_model.py (trained weights)
both write through here, so the two layouts cannot drift apart.
"""
import json
import os
import sys

import onnx
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from onnx_export import export_onnx, sha256  # noqa: E402
from sd_contract import DYNAMIC_AXES, IO_NAMES  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quantize_int8 import quantize_weights_int8  # noqa: E402

LATENT = 16  # 16x16x4 latent -> 128x128 image
VAE_SCALING_FACTOR = 0.18215  # SD 1.x's latent scale
COMPONENTS = {"textEncoder": "text_encoder", "unet": "unet", "vaeDecoder": "vae_decoder"}


def reference_inputs(tok, cfg, prompt, generator=None):
    """Row 0 the empty (negative) prompt, row 1 the prompt; noise from `generator` (the global RNG when None)."""
    ids = tok["encode"](prompt)
    input_ids = torch.full((2, cfg.max_length), tok["eos_id"], dtype=torch.int32)
    input_ids[1, :len(ids)] = torch.tensor(ids, dtype=torch.int32)
    input_ids[0, 0] = tok["bos_id"]
    sample = torch.randn(2, cfg.latent_channels, LATENT, LATENT, generator=generator)
    timestep = torch.tensor([999.0, 999.0])
    return input_ids, sample, timestep


def export_components(text_encoder, unet, vae, out_dir, prompt, inputs):
    """Exports the three components (fp32 and int8) traced on `inputs`; returns their PyTorch outputs as a reference."""
    input_ids, sample, timestep = inputs
    with torch.no_grad():
        hidden = text_encoder(input_ids)
        noise_pred = unet(sample, timestep, hidden)
        image = vae(sample[:1] / VAE_SCALING_FACTOR)
    traced = {"text_encoder": (input_ids,), "unet": (sample, timestep, hidden), "vae_decoder": (sample[:1],)}
    modules = {"text_encoder": text_encoder, "unet": unet, "vae_decoder": vae}
    for name, module in modules.items():
        input_names, output_names = IO_NAMES[name]
        model = export_onnx(module, traced[name], os.path.join(out_dir, name, "model.onnx"), input_names, output_names, DYNAMIC_AXES[name])
        onnx.save(quantize_weights_int8(model), os.path.join(out_dir, name, "model_int8.onnx"))
    return {
        "prompt": prompt, "input_ids": input_ids.tolist(), "sample": sample.flatten().tolist(), "timestep": timestep.tolist(),
        "last_hidden_state_head": hidden.flatten()[:64].tolist(), "last_hidden_state_sum": float(hidden.sum()),
        "out_sample_head": noise_pred.flatten()[:64].tolist(), "out_sample_sum": float(noise_pred.sum()),
        "image_head": image.flatten()[:64].tolist(), "image_mean": float(image.mean()), "image_std": float(image.std()),
    }


def write_reference(path, reference):
    with open(path, "w") as f:
        json.dump(reference, f)


def write_manifest(out_dir, cfg, identity):
    """manifest.json listing every file with size and sha256; identity: id, name, description, randomWeights, defaults
    and, optionally, examplePrompts and maskDiffusion."""
    paths = sorted(os.path.relpath(os.path.join(d, n), out_dir) for d, _, names in os.walk(out_dir) for n in names if n != "manifest.json")
    variant = lambda suffix: {k: f"{v}/{suffix}" for k, v in COMPONENTS.items()}  # noqa: E731
    manifest = {
        "id": identity["id"], "name": identity["name"], "description": identity["description"],
        "licence": "MIT", "architecture": "sd1", "randomWeights": identity["randomWeights"],
        "resolution": {"width": LATENT * 8, "height": LATENT * 8},
        "latent": {"channels": cfg.latent_channels, "scalingFactor": VAE_SCALING_FACTOR, "downsample": 8},
        "text": {"maxLength": cfg.max_length, "hiddenSize": cfg.text_dim},
        "predictionType": "epsilon",
        "defaults": identity["defaults"],
        "tokenizer": {"dir": "tokenizer"},
        "variants": [
            {"id": "fp32", "dtype": "fp32", "requires": [], "files": variant("model.onnx")},
            {"id": "int8", "dtype": "int8", "requires": [], "files": variant("model_int8.onnx")},
        ],
        "files": [{"path": p, "size": os.path.getsize(os.path.join(out_dir, p)), "sha256": sha256(os.path.join(out_dir, p))} for p in paths],
    }
    if identity.get("examplePrompts"):  # offered under the studio's prompt box (src/ui/ExamplePrompts.tsx)
        manifest["examplePrompts"] = identity["examplePrompts"]
    if identity.get("maskDiffusion"):  # MaskDiffusion tuned to the model (src/shared/manifest.ts)
        manifest["maskDiffusion"] = identity["maskDiffusion"]
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
