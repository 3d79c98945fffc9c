// Object regions as boxes (normalised 0..1) and as binary maps at a given resolution.
import type { Box } from '../../shared/settings';

export type { Box };

export function clampBox(b: Box): Box {
  const c = (v: number) => Math.min(1, Math.max(0, v));
  return { x0: c(Math.min(b.x0, b.x1)), y0: c(Math.min(b.y0, b.y1)), x1: c(Math.max(b.x0, b.x1)), y1: c(Math.max(b.y0, b.y1)) };
}

/** Binary map [h*w]: pixel (x, y) is inside when its centre is inside the box; never empty for a non-empty box. */
export function boxToMap(box: Box, width: number, height: number): Float32Array {
  const map = new Float32Array(width * height);
  const x0 = Math.floor(box.x0 * width);
  const y0 = Math.floor(box.y0 * height);
  const x1 = Math.max(x0 + 1, Math.round(box.x1 * width));
  const y1 = Math.max(y0 + 1, Math.round(box.y1 * height));
  for (let y = y0; y < Math.min(y1, height); y++) for (let x = x0; x < Math.min(x1, width); x++) map[y * width + x] = 1;
  return map;
}
