// The TypeScript renderer draws the Python renderer's preview scenes pixel for pixel (models/shapes/preview.*).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkerImageFromPng } from '../../checker/pngImage';
import { renderScene } from './renderScene';
import { WORLD, type Scene } from './world';

const modelsDir = new URL('../../../models/shapes/', import.meta.url);
const preview = JSON.parse(readFileSync(new URL('preview.json', modelsDir), 'utf8')) as { columns: number; pad: number; scenes: Scene[] };
const sheet = checkerImageFromPng(new Uint8Array(readFileSync(new URL('preview.png', modelsDir))));

describe('shapes renderer parity with models/shapes/world.py', () => {
  it('renders every preview scene with the same pixels as Python', () => {
    const size = WORLD.canvas;
    let differing = 0;
    let compared = 0;
    preview.scenes.forEach((scene, k) => {
      const ox = preview.pad + (k % preview.columns) * (size + preview.pad);
      const oy = preview.pad + Math.floor(k / preview.columns) * (size + preview.pad);
      const mine = renderScene(scene);
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          for (let c = 0; c < 3; c++) {
            compared++;
            if (mine.rgba[(y * size + x) * 4 + c] !== sheet.rgba[((oy + y) * sheet.width + ox + x) * 4 + c]) differing++;
          }
        }
      }
    });
    expect(preview.scenes.length).toBe(24);
    expect(compared).toBe(24 * size * size * 3);
    expect(differing).toBe(0);
  });

  it('draws shapes in their palette colour on the background', () => {
    const image = renderScene({ objects: [{ shape: 'square', colour: 'red', cx: 64, cy: 64, extent: 40 }] });
    const at = (x: number, y: number) => Array.from(image.rgba.slice((y * 128 + x) * 4, (y * 128 + x) * 4 + 3));
    expect(at(64, 64)).toEqual(WORLD.palette.red);
    expect(at(5, 5)).toEqual(WORLD.background);
    expect(at(44, 64)).toEqual(WORLD.palette.red); // the square's left edge column is fully covered (44..84)
    expect(at(43, 64)).toEqual(WORLD.background);
  });
});
