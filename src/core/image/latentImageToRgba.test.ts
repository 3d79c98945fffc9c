// Tests for the [-1, 1] CHW float -> RGBA byte conversion.

import { describe, it, expect } from 'vitest';
import { latentImageToRgba } from './latentImageToRgba';

/** Straight from the formula: round((clamp(x, -1, 1) + 1) / 2 * 255), computed in float64. */
function expectedByte(x: number): number {
  const clamped = Math.min(1, Math.max(-1, x));
  return Math.floor(((clamped + 1) / 2) * 255 + 0.5);
}

describe('latentImageToRgba', () => {
  it('maps planar CHW floats to interleaved opaque RGBA by the published formula', () => {
    const width = 3;
    const height = 2;
    const plane = width * height;
    const chw = new Float32Array(3 * plane);
    for (let i = 0; i < chw.length; i++) chw[i] = Math.sin(i * 1.7) * 1.3; // includes out-of-range values
    const rgba = latentImageToRgba(chw, width, height);
    expect(rgba).toBeInstanceOf(Uint8ClampedArray);
    expect(rgba.length).toBe(plane * 4);
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < 3; c++) expect(rgba[p * 4 + c]).toBe(expectedByte(chw[c * plane + p]));
      expect(rgba[p * 4 + 3]).toBe(255);
    }
  });

  it('hits the endpoints, clamps, and rounds the midpoint up', () => {
    // -1 -> 0, 1 -> 255, beyond the range clamps, 0 -> 127.5 -> 128 (half rounds up, not to even).
    // Planes for a 2x1 image: R = [-1, 1], G = [-5, 5], B = [0, 0.5].
    const chw = new Float32Array([-1, 1, -5, 5, 0, 0.5]);
    const rgba = latentImageToRgba(chw, 2, 1);
    expect(Array.from(rgba)).toEqual([0, 0, 128, 255, 255, 255, 191, 255]);
  });

  it('rejects a buffer that does not match the size', () => {
    expect(() => latentImageToRgba(new Float32Array(11), 2, 2)).toThrow(RangeError);
    expect(() => latentImageToRgba(new Float32Array(0), 0, 0)).toThrow(RangeError);
  });
});
