// Simple geometry of a blob (fill, solidity, hole, centroid height, width profile) and the nearest-prototype shape classifier.
import { boxBlur, renderScene } from './renderScene';
import { findBlobs, type Blob } from './segmentImage';
import { SHAPE_CLASSIFIER } from './shapesConstants';
import { SHAPE_NAMES, WORLD } from './world';

export interface ShapeFeatures {
  /** Area over bounding-box area (square 1, circle 0.79, triangle/diamond 0.5, star ~0.4). */
  fill: number;
  /** Area over convex-hull area (1 for convex shapes; star, cross, ring lower). */
  solidity: number;
  /** Enclosed background over bounding-box area (the ring's hole). */
  hole: number;
  /** Centroid height within the box, 0 top .. 1 bottom (triangle 0.6, heart ~0.45). */
  centroidY: number;
  /** Width of the blob at SHAPE_CLASSIFIER.spanRows, over the box width. */
  spans: number[];
}

/** Convex hull area of the blob's pixel squares (monotone chain over the row end corners). */
function hullArea(blob: Blob, width: number): number {
  const rowMin = new Map<number, number>();
  const rowMax = new Map<number, number>();
  for (const i of blob.pixels) {
    const x = i % width;
    const y = (i - x) / width;
    rowMin.set(y, Math.min(rowMin.get(y) ?? x, x));
    rowMax.set(y, Math.max(rowMax.get(y) ?? x, x));
  }
  const pts: [number, number][] = [];
  for (const [y, x] of rowMin) pts.push([x, y], [x, y + 1]);
  for (const [y, x] of rowMax) pts.push([x + 1, y], [x + 1, y + 1]);
  pts.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: number[], a: number[], b: number[]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (list: [number, number][]) => {
    const out: [number, number][] = [];
    for (const p of list) {
      while (out.length >= 2 && cross(out[out.length - 2], out[out.length - 1], p) <= 0) out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  const hull = [...half(pts), ...half([...pts].reverse())];
  let twice = 0;
  for (let i = 0; i < hull.length; i++) {
    const [ax, ay] = hull[i];
    const [bx, by] = hull[(i + 1) % hull.length];
    twice += ax * by - bx * ay;
  }
  return Math.abs(twice) / 2;
}

export function blobFeatures(blob: Blob, width: number): ShapeFeatures {
  const w = blob.x1 - blob.x0;
  const h = blob.y1 - blob.y0;
  // The box grown by one pixel: flood the outside from a corner; what stays unreached and unfilled is a hole.
  const gw = w + 2;
  const gh = h + 2;
  const grid = new Uint8Array(gw * gh); // 1 = blob, 2 = outside
  let sumY = 0;
  for (const i of blob.pixels) {
    const x = i % width;
    const y = (i - x) / width;
    grid[(y - blob.y0 + 1) * gw + (x - blob.x0 + 1)] = 1;
    sumY += y + 0.5;
  }
  const stack = [0];
  grid[0] = 2;
  while (stack.length > 0) {
    const i = stack.pop()!;
    const x = i % gw;
    const y = (i - x) / gw;
    for (const [nx, ny] of [
      [x - 1, y],
      [x + 1, y],
      [x, y - 1],
      [x, y + 1],
    ]) {
      if (nx < 0 || ny < 0 || nx >= gw || ny >= gh || grid[ny * gw + nx] !== 0) continue;
      grid[ny * gw + nx] = 2;
      stack.push(ny * gw + nx);
    }
  }
  let holes = 0;
  for (const v of grid) if (v === 0) holes++;
  const spans = SHAPE_CLASSIFIER.spanRows.map((at) => {
    const from = Math.floor((at - SHAPE_CLASSIFIER.spanBand / 2) * h);
    const to = Math.max(from + 1, Math.ceil((at + SHAPE_CLASSIFIER.spanBand / 2) * h));
    let sum = 0;
    for (let r = from; r < to; r++) {
      const row = grid.subarray((r + 1) * gw, (r + 2) * gw);
      const first = row.indexOf(1);
      sum += first < 0 ? 0 : row.lastIndexOf(1) - first + 1;
    }
    return sum / (to - from) / w;
  });
  const area = blob.pixels.length;
  return {
    fill: area / (w * h),
    solidity: area / Math.max(1, hullArea(blob, width)),
    hole: holes / (w * h),
    centroidY: (sumY / area - blob.y0) / h,
    spans,
  };
}

function featureVector(f: ShapeFeatures): number[] {
  return [f.fill, f.solidity, f.hole, f.centroidY, ...f.spans];
}

let prototypes: Map<string, number[][]> | null = null;

/**
 * Feature vectors of each shape, one per blur level (averaged over sizes), from renders of the
 * shared spec: a model draws softer edges than the renderer, and blur rounds concave corners.
 */
export function shapePrototypes(): Map<string, number[][]> {
  if (prototypes) return prototypes;
  const c = WORLD.canvas / 2;
  const colour = Object.keys(WORLD.palette)[0];
  prototypes = new Map();
  for (const shape of SHAPE_NAMES) {
    const renders = SHAPE_CLASSIFIER.prototypeExtents.map((extent) => renderScene({ objects: [{ shape, colour, cx: c, cy: c, extent }] }));
    prototypes.set(
      shape,
      SHAPE_CLASSIFIER.prototypeBlurPasses.map((passes) => {
        const vectors = renders.map((image) => featureVector(blobFeatures(findBlobs(boxBlur(image, passes))[0], WORLD.canvas)));
        return vectors[0].map((_, k) => vectors.reduce((s, v) => s + v[k], 0) / vectors.length);
      }),
    );
  }
  return prototypes;
}

/**
 * P(shape) for each known shape: a softmax over squared prototype distances (in featureScale units),
 * with an extra "none of them" option at rejectDistance, so an odd blob gets low P for every shape.
 */
export function classifyShape(features: ShapeFeatures): Record<string, number> {
  const f = featureVector(features);
  const logits = new Map<string, number>();
  for (const [shape, protos] of shapePrototypes()) {
    const d2 = Math.min(...protos.map((proto) => proto.reduce((s, p, k) => s + ((f[k] - p) / SHAPE_CLASSIFIER.featureScale) ** 2, 0)));
    logits.set(shape, -d2 / 2);
  }
  const reject = -(SHAPE_CLASSIFIER.rejectDistance ** 2) / 2;
  const top = Math.max(reject, ...logits.values());
  let total = Math.exp(reject - top);
  for (const v of logits.values()) total += Math.exp(v - top);
  const probs: Record<string, number> = {};
  for (const [shape, v] of logits) probs[shape] = Math.exp(v - top) / total;
  return probs;
}
