// Proposes one region per object from averaged cross-attention maps (MaskDiffusion's adaptive masks).
import { MASKDIFFUSION as MD } from './constants';
import type { Box } from './regions';

/**
 * maps: [T, h, w] cross-attention of the conditional entry, averaged over heads, layers and steps.
 * objectTokens: the key token indices of each object. fixed: regions already decided (user boxes), or null.
 * Returns a box per object: fixed ones unchanged, the others the ~20%-area rectangle of highest mean
 * attention after competition, avoiding pixels already taken by earlier objects.
 */
export function proposeRegions(maps: Float32Array, width: number, height: number, objectTokens: number[][], fixed: (Box | null)[]): Box[] {
  const pixels = width * height;
  const objectMaps = objectTokens.map((tokens) => {
    const m = new Float32Array(pixels);
    for (const t of tokens) for (let p = 0; p < pixels; p++) m[p] += maps[t * pixels + p] / tokens.length;
    return m;
  });
  compete(objectMaps);
  const taken = new Uint8Array(pixels);
  for (const box of fixed) if (box) markTaken(taken, box, width, height);
  return objectMaps.map((m, i) => {
    const given = fixed[i];
    if (given) return given;
    // Regions never overlap: rectangles touching a taken pixel are skipped (unless nothing else fits).
    const box =
      bestRectangle(m, width, height, MD.regionAreaFraction, taken) ??
      bestRectangle(
        m.map((v, p) => (taken[p] ? 0 : v)),
        width,
        height,
        MD.regionAreaFraction,
      )!;
    markTaken(taken, box, width, height);
    return box;
  });
}

/** In each object's top 15% pixels, the other objects' attention is halved. */
function compete(objectMaps: Float32Array[]): void {
  const originals = objectMaps.map((m) => m.slice());
  originals.forEach((m, i) => {
    const sorted = [...m].sort((a, b) => b - a);
    const threshold = sorted[Math.max(0, Math.ceil(m.length * MD.competitionTopFraction) - 1)];
    for (let p = 0; p < m.length; p++) {
      if (m[p] < threshold) continue;
      objectMaps.forEach((other, j) => {
        if (j !== i) other[p] *= MD.competitionFactor;
      });
    }
  });
}

/** The rectangle covering about `area` of the map with the highest mean value, avoiding `taken` pixels. */
function bestRectangle(map: ArrayLike<number>, width: number, height: number, area: number, taken?: Uint8Array): Box | null {
  const values = integralImage(map, width, height);
  const blocked = taken ? integralImage(taken, width, height) : null;
  const target = area * width * height;
  let best: { score: number; box: Box } | null = null;
  for (let h = 1; h <= height; h++) {
    const w = Math.round(target / h);
    if (w < 1 || w > width || w / h > 3 || h / w > 3) continue;
    for (let y = 0; y + h <= height; y++)
      for (let x = 0; x + w <= width; x++) {
        if (blocked && rectSum(blocked, width, x, y, w, h) > 0) continue;
        const score = rectSum(values, width, x, y, w, h) / (w * h);
        if (!best || score > best.score)
          best = { score, box: { x0: x / width, y0: y / height, x1: (x + w) / width, y1: (y + h) / height } };
      }
  }
  return best?.box ?? null;
}

function integralImage(map: ArrayLike<number>, width: number, height: number): Float64Array {
  const integral = new Float64Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      integral[(y + 1) * (width + 1) + x + 1] =
        map[y * width + x] + integral[y * (width + 1) + x + 1] + integral[(y + 1) * (width + 1) + x] - integral[y * (width + 1) + x];
  return integral;
}

function rectSum(integral: Float64Array, width: number, x: number, y: number, w: number, h: number): number {
  const stride = width + 1;
  return integral[(y + h) * stride + x + w] - integral[y * stride + x + w] - integral[(y + h) * stride + x] + integral[y * stride + x];
}

function markTaken(taken: Uint8Array, box: Box, width: number, height: number): void {
  for (let y = Math.floor(box.y0 * height); y < Math.ceil(box.y1 * height); y++)
    for (let x = Math.floor(box.x0 * width); x < Math.ceil(box.x1 * width); x++) taken[y * width + x] = 1;
}
