"""Minimal PNG writer (stdlib zlib only), so the scripts need no imaging package on the GPU machine."""
import struct
import zlib

import numpy as np


def _chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def write_png(path, rgb):
    """Writes an 8-bit RGB image (uint8 [H, W, 3])."""
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[y].tobytes() for y in range(h))  # filter type 0 on every row
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(b"IEND", b""))


def grid(images, columns, pad=2, fill=128):
    """Tiles same-sized images [N, H, W, 3] into one image with a pad-pixel grey border."""
    n, h, w, c = images.shape
    rows = (n + columns - 1) // columns
    out = np.full((rows * (h + pad) + pad, columns * (w + pad) + pad, c), fill, dtype=np.uint8)
    for i, im in enumerate(images):
        y, x = pad + (i // columns) * (h + pad), pad + (i % columns) * (w + pad)
        out[y:y + h, x:x + w] = im
    return out
