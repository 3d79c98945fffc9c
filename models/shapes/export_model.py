"""Exports trained shapes weights in the built-in model's layout, through the same writer as
models/tiny/make_tiny_model.py (models/tiny/sd_export.py): ONNX names, opset, fp32 and int8, tokenizer, manifest.

Run: /usr/bin/python3 models/shapes/export_model.py --weights W.npz --out DIR [--reference R.json]
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tiny"))
from architecture import TinyConfig  # noqa: E402
from sd_export import export_components, reference_inputs, write_manifest, write_reference  # noqa: E402
from tokenizer_build import build_tokenizer  # noqa: E402
from weights_file import load_weights  # noqa: E402

# The id stays the built-in one: the app (BUILT_IN_MODEL_ID), the library catalogue and e2e tests name it.
MODEL_ID = "tiny-sd-random"
MODEL_NAME = "Tiny SD (shapes)"
DESCRIPTION = ("Built-in tiny model of Stable Diffusion's architecture, trained on a synthetic world of coloured "
               "shapes (circle, ring, heart, square, triangle, diamond, cross, star in eight colours) with captions "
               "such as \"a yellow star above a purple heart\". It draws that world, nothing else.")
# Prompts of its world offered under the prompt box (at most 8, manifestSchema.ts): one object, a size, a place, two.
EXAMPLE_PROMPTS = ["a red circle", "a big yellow star", "a blue square on the left", "a small purple heart",
                   "a red circle and a green triangle", "a yellow star above a purple heart"]
DEFAULTS = {"sampler": "euler", "steps": 16, "guidance": 7.5}  # npm run bench:align, plain single objects: 17% at 4 steps, 92% at 8 (colour 67%), 92% at 16 (colour 92%)
# npm run bench:align, MaskDiffusion with boxes, 12 seeds: half the suppression term keeps the objects in their boxes as
# often (65 of 120 against 60) and loses fewer pairs ("two objects" 20 of 48 against 9).
MASK_DIFFUSION = {"suppression": 0.5}
REFERENCE_PROMPT = "a red circle and a blue square"
REFERENCE_SEED = 20261122


@torch.no_grad()
def export_model(text_encoder, unet, vae, out_dir, reference_path=None):
    cfg = TinyConfig()
    tok = build_tokenizer(os.path.join(out_dir, "tokenizer"))
    assert tok["vocab_size"] == cfg.vocab_size, tok["vocab_size"]
    text_encoder, unet, vae = (m.float().cpu().eval() for m in (text_encoder, unet, vae))
    inputs = reference_inputs(tok, cfg, REFERENCE_PROMPT, torch.Generator().manual_seed(REFERENCE_SEED))
    reference = export_components(text_encoder, unet, vae, out_dir, REFERENCE_PROMPT, inputs)
    write_manifest(out_dir, cfg, {"id": MODEL_ID, "name": MODEL_NAME, "description": DESCRIPTION, "randomWeights": False, "defaults": DEFAULTS,
                                 "examplePrompts": EXAMPLE_PROMPTS, "maskDiffusion": MASK_DIFFUSION})
    if reference_path:
        write_reference(reference_path, reference)


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
