"""Installs a trained shapes model as the studio's built-in model (public/models/tiny-sd).

Run: /usr/bin/python3 models/shapes/install_model.py RUN_DIR
RUN_DIR is a train.py --out directory (weights.npz, samples.png, train_log.json). By default the ONNX
files are re-exported here from weights.npz with Debian's PyTorch, the exporter that made the random
model, so the graphs match it whatever PyTorch trained them; --use-run-export takes RUN_DIR/model instead.
Then it updates models/tiny/reference.json, the library entry models/manifests/tiny-sd.json, refits the
latent preview (npx tsx models/fit-latent-preview.ts) and copies the samples next to this script.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from export_model import DESCRIPTION, MODEL_NAME, export_model  # noqa: E402
from weights_file import load_weights  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
PUBLIC = os.path.join(ROOT, "public", "models", "tiny-sd")
REFERENCE = os.path.join(ROOT, "models", "tiny", "reference.json")
LIBRARY_ENTRY = os.path.join(ROOT, "models", "manifests", "tiny-sd.json")
HUB_NOTE = " Served by the app itself"  # the library entry's sentence about the local hub test server, kept
MODEL_PARTS = ("text_encoder", "unet", "vae_decoder", "tokenizer", "manifest.json")


def replace_model(source):
    for part in MODEL_PARTS:
        target = os.path.join(PUBLIC, part)
        if os.path.isdir(target):
            shutil.rmtree(target)
        elif os.path.exists(target):
            os.remove(target)
        src = os.path.join(source, part)
        (shutil.copytree if os.path.isdir(src) else shutil.copyfile)(src, target)


def update_library_entry():
    with open(os.path.join(PUBLIC, "manifest.json")) as f:
        public = json.load(f)
    with open(LIBRARY_ENTRY) as f:
        entry = json.load(f)
    hub_note = entry["description"][entry["description"].find(HUB_NOTE):] if HUB_NOTE in entry["description"] else ""
    entry.update(name=MODEL_NAME, description=DESCRIPTION + hub_note, randomWeights=False, files=public["files"])
    for key in ("preview", "examplePrompts", "defaults", "maskDiffusion"):
        if key in public:
            entry[key] = public[key]
    with open(LIBRARY_ENTRY, "w") as f:
        json.dump(entry, f, indent=2)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run_dir")
    ap.add_argument("--use-run-export", action="store_true", help="install RUN_DIR/model and RUN_DIR/reference.json as they are")
    ap.add_argument("--skip-preview", action="store_true", help="do not refit the latent preview (needs node)")
    args = ap.parse_args()
    if args.use_run_export:
        model_dir, reference = os.path.join(args.run_dir, "model"), os.path.join(args.run_dir, "reference.json")
    else:
        staging = tempfile.mkdtemp(prefix="shapes-install-")
        model_dir, reference = os.path.join(staging, "model"), os.path.join(staging, "reference.json")
        text_encoder, unet, vae, meta = load_weights(os.path.join(args.run_dir, "weights.npz"))
        print(f"re-exporting weights trained for {meta.get('diffusion_steps')} diffusion steps")
        export_model(text_encoder, unet, vae, model_dir, reference)
    replace_model(model_dir)
    shutil.copyfile(reference, REFERENCE)
    for name in ("samples.png", "train_log.json"):
        if os.path.exists(os.path.join(args.run_dir, name)):
            shutil.copyfile(os.path.join(args.run_dir, name), os.path.join(HERE, name))
    if not args.skip_preview:
        subprocess.run(["npx", "tsx", "models/fit-latent-preview.ts"], cwd=ROOT, check=True)
    update_library_entry()
    # Tests quote the model's name and sizes from its manifests; those that need a model without learnt behaviour
    # load the random one (models/tiny/random), so nothing else needs editing.
    print("installed. Next: npm run bench:align; npm test")


if __name__ == "__main__":
    main()
