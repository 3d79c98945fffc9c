// Palette segmentation: each pixel as a palette colour mixed into the background, then connected components.
import type { CheckerImage } from '../../checker/checkerTypes';
import { SEGMENTATION } from './shapesConstants';
import { COLOUR_NAMES, WORLD } from './world';

const BACKGROUND_LABEL = 255;
const UNKNOWN_LABEL = 254;

/** One connected region of one palette colour. Pixel indices are y * width + x. */
export interface Blob {
  colour: string;
  pixels: number[];
  x0: number;
  y0: number;
  /** Exclusive. */
  x1: number;
  y1: number;
}

/** The background colour: the per-channel median of the border pixels (the model may tint it). */
export function estimateBackground(image: CheckerImage): [number, number, number] {
  const { width: w, height: h, rgba } = image;
  const channels: number[][] = [[], [], []];
  const take = (x: number, y: number) => {
    for (let c = 0; c < 3; c++) channels[c].push(rgba[(y * w + x) * 4 + c]);
  };
  for (let x = 0; x < w; x++) {
    take(x, 0);
    take(x, h - 1);
  }
  for (let y = 1; y < h - 1; y++) {
    take(0, y);
    take(w - 1, y);
  }
  return channels.map((v) => v.sort((a, b) => a - b)[v.length >> 1]) as [number, number, number];
}

/**
 * Per pixel: the palette colour c and coverage a in [0, 1] that best explain it as bg + a (c - bg).
 * Coverage below minCoverage is background; a residual above maxResidual is unknown.
 */
export function labelPixels(image: CheckerImage, bg = estimateBackground(image)): Uint8Array {
  const n = image.width * image.height;
  const labels = new Uint8Array(n);
  const dirs = COLOUR_NAMES.map((name) => WORLD.palette[name].map((v, c) => v - bg[c]));
  const norms = dirs.map((d) => d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
  for (let i = 0; i < n; i++) {
    const p0 = image.rgba[i * 4] - bg[0];
    const p1 = image.rgba[i * 4 + 1] - bg[1];
    const p2 = image.rgba[i * 4 + 2] - bg[2];
    let best = UNKNOWN_LABEL;
    let bestResidual = SEGMENTATION.maxResidual * SEGMENTATION.maxResidual;
    let bestCoverage = 0;
    for (let k = 0; k < dirs.length; k++) {
      const d = dirs[k];
      if (norms[k] === 0) continue; // the background itself is this colour: nothing to see against it
      const a = Math.min(1, Math.max(0, (p0 * d[0] + p1 * d[1] + p2 * d[2]) / norms[k]));
      const r0 = p0 - a * d[0];
      const r1 = p1 - a * d[1];
      const r2 = p2 - a * d[2];
      const residual = r0 * r0 + r1 * r1 + r2 * r2;
      if (residual < bestResidual) {
        bestResidual = residual;
        best = k;
        bestCoverage = a;
      }
    }
    // Every colour explains a background pixel with coverage ~0, so the background needs no label of its own.
    labels[i] = best === UNKNOWN_LABEL ? UNKNOWN_LABEL : bestCoverage < SEGMENTATION.minCoverage ? BACKGROUND_LABEL : best;
  }
  return labels;
}

/** 8-connected components of each colour label, largest first, specks dropped. */
export function findBlobs(image: CheckerImage): Blob[] {
  const { width: w, height: h } = image;
  const labels = labelPixels(image);
  const seen = new Uint8Array(w * h);
  const blobs: Blob[] = [];
  const stack: number[] = [];
  for (let start = 0; start < w * h; start++) {
    const label = labels[start];
    if (seen[start] || label >= UNKNOWN_LABEL) continue;
    const blob: Blob = { colour: COLOUR_NAMES[label], pixels: [], x0: w, y0: h, x1: 0, y1: 0 };
    seen[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop()!;
      const x = i % w;
      const y = (i - x) / w;
      blob.pixels.push(i);
      blob.x0 = Math.min(blob.x0, x);
      blob.x1 = Math.max(blob.x1, x + 1);
      blob.y0 = Math.min(blob.y0, y);
      blob.y1 = Math.max(blob.y1, y + 1);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const j = ny * w + nx;
          if (!seen[j] && labels[j] === label) {
            seen[j] = 1;
            stack.push(j);
          }
        }
      }
    }
    if (blob.pixels.length >= SEGMENTATION.minArea * ((w * h) / (WORLD.canvas * WORLD.canvas))) blobs.push(blob);
  }
  return blobs.sort((a, b) => b.pixels.length - a.pixels.length);
}
