// Test scenes with known ground truth, and degradations that imitate a small model's drawing (blur, noise, tint).
import type { CheckerImage } from '../../checker/checkerTypes';
import { createRng, type Rng } from '../random';
import { boxBlur } from './renderScene';
import { COLOUR_NAMES, SHAPE_NAMES, WORLD, type Scene, type SceneObject } from './world';

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng.nextFloat() * xs.length)];

/** Random scenes of 1-3 distinct, non-overlapping shapes (the world's layout rules). */
export function randomScenes(count: number, seed: number): Scene[] {
  const rng = createRng(seed);
  const sizes = Object.values(WORLD.sizes);
  const scenes: Scene[] = [];
  while (scenes.length < count) {
    const objects: SceneObject[] = [];
    const wanted = 1 + Math.floor(rng.nextFloat() * 3);
    for (let tries = 0; objects.length < wanted && tries < 100; tries++) {
      const [lo, hi] = pick(rng, sizes).extent;
      const extent = lo + Math.floor(rng.nextFloat() * (hi - lo + 1));
      const margin = WORLD.layout.edgeMargin + extent / 2;
      const at = () => Math.round((margin + rng.nextFloat() * (WORLD.canvas - 2 * margin)) * 2) / 2;
      const o = { shape: pick(rng, SHAPE_NAMES), colour: pick(rng, COLOUR_NAMES), cx: at(), cy: at(), extent };
      const clear = objects.every((p) => {
        const reach = (p.extent + o.extent) / 2 + WORLD.layout.gap;
        return (Math.abs(p.cx - o.cx) >= reach || Math.abs(p.cy - o.cy) >= reach) && (p.shape !== o.shape || p.colour !== o.colour);
      });
      if (clear) objects.push(o);
    }
    scenes.push({ objects });
  }
  return scenes;
}

export interface Degradation {
  /** Box-blur passes of radius 1 (each softens edges by about a pixel). */
  blurPasses: number;
  /** Standard deviation of per-pixel Gaussian noise, in 0..255 levels. */
  noise: number;
  /** Largest per-channel gain change (0.1 = +-10%), one draw per image. */
  tint: number;
}

export function degrade(image: CheckerImage, how: Degradation, seed: number): CheckerImage {
  const rng = createRng(seed);
  const px = boxBlur(image, how.blurPasses).rgba;
  const gains = [0, 1, 2].map(() => 1 + (rng.nextFloat() * 2 - 1) * how.tint);
  const rgba = new Uint8ClampedArray(px.length);
  for (let i = 0; i < px.length; i++) rgba[i] = i % 4 === 3 ? 255 : px[i] * gains[i % 4] + rng.normal() * how.noise;
  return { width: image.width, height: image.height, rgba };
}
