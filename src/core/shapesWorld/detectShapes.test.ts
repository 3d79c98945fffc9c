// Shape detection on rendered scenes with known ground truth: clean, and degraded like a small model's drawing.
import { describe, expect, it } from 'vitest';
import type { CheckerImage } from '../../checker/checkerTypes';
import { createRng } from '../random';
import { detectShapes, type ShapeDetection } from './detectShapes';
import { renderScene } from './renderScene';
import { degrade, randomScenes, type Degradation } from './shapesTesting.test-support';
import { sizeOfExtent, type Scene, type SceneObject } from './world';

const SCENES = randomScenes(120, 11);
let renders: CheckerImage[] | null = null; // drawn once, degraded per level
const LEVELS: { name: string; how: Degradation; minAccuracy: number }[] = [
  { name: 'clean', how: { blurPasses: 0, noise: 0, tint: 0 }, minAccuracy: 0.99 },
  { name: 'blur 2, noise 6, tint 5%', how: { blurPasses: 2, noise: 6, tint: 0.05 }, minAccuracy: 0.97 },
  { name: 'blur 4, noise 10, tint 8%', how: { blurPasses: 4, noise: 10, tint: 0.08 }, minAccuracy: 0.95 },
];

/** The detection of a ground-truth object: same colour, centroid within a third of its extent. */
function detectionOf(o: SceneObject, detections: ShapeDetection[]): ShapeDetection | undefined {
  return detections.find(
    (d) => d.colour === o.colour && Math.abs(d.cx * 128 - o.cx) < o.extent / 3 && Math.abs(d.cy * 128 - o.cy) < o.extent / 3,
  );
}

function evaluate(scenes: Scene[], images: CheckerImage[], how: Degradation) {
  let objects = 0;
  let found = 0;
  let shapeRight = 0;
  let sizeRight = 0;
  let spurious = 0;
  let centreError = 0;
  scenes.forEach((scene, i) => {
    const detections = detectShapes(degrade(images[i], how, i));
    spurious += detections.filter((d) => d.shape !== null && !scene.objects.some((o) => detectionOf(o, [d]))).length;
    for (const o of scene.objects) {
      objects++;
      const d = detectionOf(o, detections);
      if (!d) continue;
      found++;
      if (d.shape === o.shape) shapeRight++;
      if (d.size === sizeOfExtent(o.extent)) sizeRight++;
      centreError += Math.hypot(d.cx * 128 - o.cx, d.cy * 128 - o.cy);
    }
  });
  return {
    objects,
    found: found / objects,
    shape: shapeRight / objects,
    size: sizeRight / objects,
    spurious,
    meanCentreErrorPx: centreError / found,
  };
}

describe('detectShapes on rendered scenes', () => {
  it.each(LEVELS)('finds each shape with its colour, class and size ($name)', ({ name, how, minAccuracy }) => {
    renders ??= SCENES.map((scene) => renderScene(scene));
    const r = evaluate(SCENES, renders, how);
    console.log(
      `${name}: ${r.objects} objects; found ${(r.found * 100).toFixed(1)}%, shape right ${(r.shape * 100).toFixed(1)}%, size class right ${(r.size * 100).toFixed(1)}%, spurious ${r.spurious}, mean centre error ${r.meanCentreErrorPx.toFixed(2)} px`,
    );
    expect(r.objects).toBeGreaterThan(200);
    expect(r.shape).toBeGreaterThanOrEqual(minAccuracy);
    expect(r.size).toBeGreaterThanOrEqual(minAccuracy);
    expect(r.spurious).toBe(0);
  });

  it('reports blobs that are no known shape as such, and finds nothing in an empty image', () => {
    const rng = createRng(5);
    const rgba = new Uint8ClampedArray(128 * 128 * 4);
    // Noise in one palette colour's direction: plenty of red pixels, but in specks and streaks.
    for (let i = 0; i < 128 * 128; i++) rgba.set(rng.nextFloat() < 0.3 ? [220, 30, 30, 255] : [255, 255, 255, 255], i * 4);
    const noisy = detectShapes({ width: 128, height: 128, rgba });
    expect(noisy.every((d) => d.shape === null)).toBe(true);
    expect(detectShapes(renderScene({ objects: [] }))).toEqual([]);
  });

  it('measures a shape where it was drawn, and reads sizes at other canvas sizes on the 128-pixel scale', () => {
    const [d] = detectShapes(renderScene({ objects: [{ shape: 'square', colour: 'blue', cx: 40, cy: 90, extent: 38 }] }));
    expect(d).toMatchObject({ shape: 'square', colour: 'blue', size: 'medium' });
    expect(d.cx * 128).toBeCloseTo(40, 0);
    expect(d.cy * 128).toBeCloseTo(90, 0);
    const [big] = detectShapes(renderScene({ objects: [{ shape: 'circle', colour: 'red', cx: 128, cy: 128, extent: 26 * 2 }] }, 256));
    expect(big).toMatchObject({ shape: 'circle', size: 'small' });
  });
});
