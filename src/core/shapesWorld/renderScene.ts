// Renders shapes-world scenes exactly as models/shapes/world.py does (same arithmetic, same order).
import type { CheckerImage } from '../../checker/checkerTypes';
import { WORLD, type Scene } from './world';

/** Whether (u, v) lies inside a unit shape (bounding box [-1, 1]^2, v down). */
export function insideShape(shape: string, u: number, v: number): boolean {
  const spec = WORLD.shapes[shape];
  if (!spec) throw new Error(`Unknown shape "${shape}".`);
  if (spec.kind === 'disc') {
    const r2 = u * u + v * v;
    return r2 <= 1 && r2 >= spec.inner * spec.inner;
  }
  if (spec.kind === 'heart') {
    const x = u * spec.xScale;
    const y = spec.yOffset - v * spec.yScale;
    const a = x * x + y * y - 1;
    return a * a * a - x * x * (y * y * y) <= 0;
  }
  // Even-odd ray casting.
  const pts = spec.points;
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i];
    const [xj, yj] = pts[j];
    if (yi > v !== yj > v && u < ((xj - xi) * (v - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** RGBA image of a scene: each shape's supersampled coverage mixes its palette colour into the background. */
export function renderScene(scene: Scene, size = WORLD.canvas): CheckerImage {
  const bg = WORLD.background;
  const rgba = new Uint8ClampedArray(size * size * 4);
  const mix = new Float64Array(size * size * 3);
  for (let i = 0; i < size * size; i++) mix.set(bg, i * 3);
  const s = WORLD.supersample;
  for (const o of scene.objects) {
    const colour = WORLD.palette[o.colour];
    if (!colour) throw new Error(`Unknown colour "${o.colour}".`);
    const r = o.extent / 2;
    const x0 = Math.max(0, Math.floor(o.cx - r) - 1);
    const x1 = Math.min(size, Math.ceil(o.cx + r) + 1);
    const y0 = Math.max(0, Math.floor(o.cy - r) - 1);
    const y1 = Math.min(size, Math.ceil(o.cy + r) + 1);
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        let hits = 0;
        for (let sy = 0; sy < s; sy++) {
          const v = (y + (sy + 0.5) / s - o.cy) / r;
          for (let sx = 0; sx < s; sx++) if (insideShape(o.shape, (x + (sx + 0.5) / s - o.cx) / r, v)) hits++;
        }
        if (hits === 0) continue;
        const coverage = hits / (s * s);
        for (let c = 0; c < 3; c++) mix[(y * size + x) * 3 + c] = bg[c] + coverage * (colour[c] - bg[c]);
      }
    }
  }
  for (let i = 0; i < size * size; i++) {
    for (let c = 0; c < 3; c++) rgba[i * 4 + c] = Math.floor(mix[i * 3 + c] + 0.5);
    rgba[i * 4 + 3] = 255;
  }
  return { width: size, height: size, rgba };
}

/** Radius-1 box blur, `passes` times (edges average what lies inside the image). */
export function boxBlur(image: CheckerImage, passes: number): CheckerImage {
  const { width: w, height: h } = image;
  let px = Float32Array.from(image.rgba);
  for (let pass = 0; pass < passes; pass++) {
    const out = new Float32Array(px.length);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = (y * w + x) * 4;
        let n = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const nx = x + dx;
            const ny = y + dy;
            if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
            const j = (ny * w + nx) * 4;
            out[i] += px[j];
            out[i + 1] += px[j + 1];
            out[i + 2] += px[j + 2];
            n++;
          }
        }
        out[i] /= n;
        out[i + 1] /= n;
        out[i + 2] /= n;
        out[i + 3] = 255;
      }
    }
    px = out;
  }
  return { width: w, height: h, rgba: Uint8ClampedArray.from(px) };
}
