"""Exports trained shapes weights in the built-in model's layout: the same ONNX names, opset and
export settings as models/tiny/make_tiny_model.py, fp32 and int8 variants, its tokenizer and manifest format.

Run: /usr/bin/python3 models/shapes/export_model.py --weights W.npz --out DIR [--reference R.json]
"""
import argparse
import inspect
import json
import os
import sys

import onnx
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tiny"))
from architecture import TinyConfig  # noqa: E402
from make_tiny_model import LATENT, OPSET, sha256  # noqa: E402
from quantize_int8 import quantize_weights_int8  # noqa: E402
from tokenizer_build import build_tokenizer  # noqa: E402
from weights_file import load_weights  # noqa: E402

# The id stays the built-in one: the app (BUILT_IN_MODEL_ID), the library catalogue and e2e tests name it.
MODEL_ID = "tiny-sd-random"
MODEL_NAME = "Tiny SD (shapes)"
DESCRIPTION = ("Built-in tiny model of Stable Diffusion's architecture, trained on a synthetic world of coloured "
               "shapes (circle, ring, heart, square, triangle, diamond, cross, star in eight colours) with captions "
               "such as \"a yellow star above a purple heart\". It draws that world, nothing else.")
DEFAULTS = {"sampler": "euler", "steps": 4, "guidance": 7.5}  # as the random model's, which tests and e2e rely on
REFERENCE_PROMPT = "a red circle and a blue square"
REFERENCE_SEED = 20261122
COMPONENTS = {"textEncoder": "text_encoder", "unet": "unet", "vaeDecoder": "vae_decoder"}


def export_onnx(module, args, path, input_names, output_names, dynamic_axes):
    """make_tiny_model.export's call, pinned to the TorchScript exporter (PyTorch >= 2.9 defaults to dynamo,
    whose graphs differ from the public SD exports the MaskDiffusion patcher expects)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    pinned = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    torch.onnx.export(module, args, path, input_names=input_names, output_names=output_names,
                      dynamic_axes=dynamic_axes, opset_version=OPSET, do_constant_folding=True, **pinned)
    model = onnx.load(path)
    onnx.checker.check_model(model)
    return model


@torch.no_grad()
def export_model(text_encoder, unet, vae, out_dir, reference_path=None):
    cfg = TinyConfig()
    tok = build_tokenizer(os.path.join(out_dir, "tokenizer"))
    assert tok["vocab_size"] == cfg.vocab_size, tok["vocab_size"]
    text_encoder, unet, vae = (m.float().cpu().eval() for m in (text_encoder, unet, vae))
    g = torch.Generator().manual_seed(REFERENCE_SEED)
    ids = tok["encode"](REFERENCE_PROMPT)
    input_ids = torch.full((2, cfg.max_length), tok["eos_id"], dtype=torch.int32)
    input_ids[1, :len(ids)] = torch.tensor(ids, dtype=torch.int32)
    input_ids[0, 0] = tok["bos_id"]  # row 0: the empty (negative) prompt
    sample = torch.randn(2, cfg.latent_channels, LATENT, LATENT, generator=g)
    timestep = torch.tensor([999.0, 999.0])
    hidden = text_encoder(input_ids)
    noise_pred = unet(sample, timestep, hidden)
    image = vae(sample[:1] / 0.18215)
    files = {
        "text_encoder": export_onnx(text_encoder, (input_ids,), os.path.join(out_dir, "text_encoder", "model.onnx"),
                                    ["input_ids"], ["last_hidden_state"], {"input_ids": {0: "batch"}, "last_hidden_state": {0: "batch"}}),
        "unet": export_onnx(unet, (sample, timestep, hidden), os.path.join(out_dir, "unet", "model.onnx"),
                            ["sample", "timestep", "encoder_hidden_states"], ["out_sample"],
                            {"sample": {0: "batch", 2: "height", 3: "width"}, "timestep": {0: "batch"},
                             "encoder_hidden_states": {0: "batch"}, "out_sample": {0: "batch", 2: "height", 3: "width"}}),
        "vae_decoder": export_onnx(vae, (sample[:1],), os.path.join(out_dir, "vae_decoder", "model.onnx"),
                                   ["latent_sample"], ["sample"],
                                   {"latent_sample": {0: "batch", 2: "height", 3: "width"}, "sample": {0: "batch", 2: "height", 3: "width"}}),
    }
    for name, model in files.items():
        onnx.save(quantize_weights_int8(model), os.path.join(out_dir, name, "model_int8.onnx"))
    write_manifest(out_dir, cfg)
    if reference_path:
        reference = {
            "prompt": REFERENCE_PROMPT, "input_ids": input_ids.tolist(), "sample": sample.flatten().tolist(),
            "timestep": timestep.tolist(),
            "last_hidden_state_head": hidden.flatten()[:64].tolist(), "last_hidden_state_sum": float(hidden.sum()),
            "out_sample_head": noise_pred.flatten()[:64].tolist(), "out_sample_sum": float(noise_pred.sum()),
            "image_head": image.flatten()[:64].tolist(), "image_mean": float(image.mean()), "image_std": float(image.std()),
        }
        with open(reference_path, "w") as f:
            json.dump(reference, f)


def write_manifest(out_dir, cfg):
    """make_tiny_model.write_manifest's format, for another directory and with trained-model fields."""
    paths = sorted(os.path.relpath(os.path.join(d, n), out_dir) for d, _, names in os.walk(out_dir) for n in names if n != "manifest.json")
    variant = lambda suffix: {k: f"{v}/{suffix}" for k, v in COMPONENTS.items()}  # noqa: E731
    manifest = {
        "id": MODEL_ID, "name": MODEL_NAME, "description": DESCRIPTION, "licence": "MIT", "architecture": "sd1",
        "randomWeights": False,
        "resolution": {"width": LATENT * 8, "height": LATENT * 8},
        "latent": {"channels": cfg.latent_channels, "scalingFactor": 0.18215, "downsample": 8},
        "text": {"maxLength": cfg.max_length, "hiddenSize": cfg.text_dim},
        "predictionType": "epsilon",
        "defaults": DEFAULTS,
        "tokenizer": {"dir": "tokenizer"},
        "variants": [
            {"id": "fp32", "dtype": "fp32", "requires": [], "files": variant("model.onnx")},
            {"id": "int8", "dtype": "int8", "requires": [], "files": variant("model_int8.onnx")},
        ],
        "files": [{"path": p, "size": os.path.getsize(os.path.join(out_dir, p)), "sha256": sha256(os.path.join(out_dir, p))} for p in paths],
    }
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)


def main():
    ap = argparse.ArgumentParser(description="Export shapes weights (train.py's weights.npz) as the built-in model layout.")
    ap.add_argument("--weights", required=True)
    ap.add_argument("--out", required=True, help="model directory to write (e.g. public/models/tiny-sd)")
    ap.add_argument("--reference", help="also write PyTorch reference outputs here (models/tiny/reference.json)")
    args = ap.parse_args()
    text_encoder, unet, vae, _ = load_weights(args.weights)
    export_model(text_encoder, unet, vae, args.out, args.reference)
    print(f"exported {args.weights} to {args.out}")


if __name__ == "__main__":
    main()
