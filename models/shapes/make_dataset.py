"""Synthetic shapes data: seeded scenes of 1-3 coloured shapes with template captions, rendered at 128x128.

Run: /usr/bin/python3 models/shapes/make_dataset.py --count 2000 --out /tmp/shapes.npz
     /usr/bin/python3 models/shapes/make_dataset.py --preview   (rewrites models/shapes/preview.png/.json)
train.py calls build_dataset() directly, so a GPU run needs no data files.
"""
import argparse
import json
import multiprocessing
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from png import grid, write_png  # noqa: E402
from scenes import sample_scene  # noqa: E402
from world import CANVAS, render_scene  # noqa: E402

CHUNK = 500  # scenes per seeded chunk: the data depends on (seed, count) only, not on the worker count
PREVIEW_SEED = 7
PREVIEW_COUNT = 24
PREVIEW_COLUMNS = 6
HERE = os.path.dirname(os.path.abspath(__file__))


def make_chunk(args):
    seed, index, count = args
    rng = np.random.default_rng([seed, index])
    scenes = [sample_scene(rng) for _ in range(count)]
    images = np.stack([render_scene(s) for s in scenes]) if scenes else np.zeros((0, CANVAS, CANVAS, 3), np.uint8)
    return images, scenes


def build_dataset(count, seed, workers=None):
    """(images uint8 [N, 128, 128, 3], scenes) for the first `count` scenes of `seed`."""
    jobs = [(seed, i, min(CHUNK, count - i * CHUNK)) for i in range((count + CHUNK - 1) // CHUNK)]
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    if workers > 1:
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            parts = pool.map(make_chunk, jobs)
    else:
        parts = [make_chunk(j) for j in jobs]
    images = np.concatenate([p[0] for p in parts]) if parts else np.zeros((0, CANVAS, CANVAS, 3), np.uint8)
    return images, [s for p in parts for s in p[1]]


def write_preview(png_path, json_path):
    images, scenes = build_dataset(PREVIEW_COUNT, PREVIEW_SEED, workers=1)
    write_png(png_path, grid(images, PREVIEW_COLUMNS))
    with open(json_path, "w") as f:
        json.dump({"seed": PREVIEW_SEED, "columns": PREVIEW_COLUMNS, "pad": 2, "scenes": scenes}, f, indent=1)
    return scenes


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", help="write images, captions and scenes to this .npz")
    ap.add_argument("--preview", action="store_true", help="rewrite models/shapes/preview.png and preview.json")
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    if args.preview:
        scenes = write_preview(os.path.join(HERE, "preview.png"), os.path.join(HERE, "preview.json"))
        print("\n".join(s["caption"] for s in scenes))
    if args.out:
        images, scenes = build_dataset(args.count, args.seed, args.workers)
        np.savez_compressed(args.out, images=images, captions=np.array([s["caption"] for s in scenes]),
                            scenes=np.array([json.dumps(s) for s in scenes]))
        print(f"wrote {len(images)} scenes to {args.out}")


if __name__ == "__main__":
    main()
