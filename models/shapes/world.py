"""The shapes world in Python: the shared spec (src/core/shapesWorld/shapesWorld.json) and its renderer.

The TypeScript renderer (src/core/shapesWorld/renderScene.ts) does the same arithmetic in the same
order, so both draw identical pixels; src/core/shapesWorld/renderParity.test.ts checks that on the
preview scenes this package writes.
"""
import json
import math
import os

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORLD_PATH = os.path.join(ROOT, "src", "core", "shapesWorld", "shapesWorld.json")

with open(WORLD_PATH) as f:
    WORLD = json.load(f)

CANVAS = WORLD["canvas"]
BACKGROUND = np.array(WORLD["background"], dtype=np.float64)
SUPERSAMPLE = WORLD["supersample"]
COLOURS = list(WORLD["palette"])
SHAPES = list(WORLD["shapes"])


def inside(shape, u, v):
    """Boolean mask of the points (u, v) inside a unit shape (bounding box [-1, 1]^2, v down)."""
    spec = WORLD["shapes"][shape]
    kind = spec["kind"]
    if kind == "disc":
        r2 = u * u + v * v
        inner = spec["inner"]
        return (r2 <= 1.0) & (r2 >= inner * inner)
    if kind == "heart":
        x = u * spec["xScale"]
        y = spec["yOffset"] - v * spec["yScale"]
        a = x * x + y * y - 1.0
        return a * a * a - x * x * (y * y * y) <= 0.0
    # Even-odd ray casting, written as in renderScene.ts so both round the same way.
    points = spec["points"]
    result = np.zeros(np.broadcast(u, v).shape, dtype=bool)
    j = len(points) - 1
    for i in range(len(points)):
        xi, yi = points[i]
        xj, yj = points[j]
        crosses = (yi > v) != (yj > v)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = (xj - xi) * (v - yi) / (yj - yi) + xi
        result ^= crosses & (u < x_at)
        j = i
    return result


def render_scene(scene):
    """RGB uint8 [CANVAS, CANVAS, 3] of a scene: {"objects": [{shape, colour, cx, cy, extent}]} (pixels)."""
    image = np.empty((CANVAS, CANVAS, 3), dtype=np.float64)
    image[:] = BACKGROUND
    s = SUPERSAMPLE
    offsets = (np.arange(s) + 0.5) / s
    for obj in scene["objects"]:
        r = obj["extent"] / 2
        x0 = max(0, int(math.floor(obj["cx"] - r)) - 1)
        x1 = min(CANVAS, int(math.ceil(obj["cx"] + r)) + 1)
        y0 = max(0, int(math.floor(obj["cy"] - r)) - 1)
        y1 = min(CANVAS, int(math.ceil(obj["cy"] + r)) + 1)
        px = (np.arange(x0, x1)[:, None] + offsets[None, :]).reshape(-1)  # sub-sample x positions
        py = (np.arange(y0, y1)[:, None] + offsets[None, :]).reshape(-1)
        u = (px[None, :] - obj["cx"]) / r
        v = (py[:, None] - obj["cy"]) / r
        hits = inside(obj["shape"], u, v).reshape(y1 - y0, s, x1 - x0, s).sum(axis=(1, 3))
        coverage = hits / (s * s)
        colour = np.array(WORLD["palette"][obj["colour"]], dtype=np.float64)
        region = image[y0:y1, x0:x1]
        mixed = BACKGROUND + coverage[..., None] * (colour - BACKGROUND)
        # Shapes never overlap (the layout keeps a gap), so covered pixels simply take the mix.
        image[y0:y1, x0:x1] = np.where(coverage[..., None] > 0, mixed, region)
    return np.floor(image + 0.5).astype(np.uint8)


def size_class(extent):
    for name, spec in WORLD["sizes"].items():
        lo, hi = spec["extent"]
        if lo <= extent <= hi:
            return name
    raise ValueError(f"extent {extent} is in no size class")
