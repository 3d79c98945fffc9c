// Image sanity checker tests: nan, all-zero, constant and healthy cases.

import { describe, it, expect } from 'vitest';
import { checkImageSanity } from './imageSanity';

describe('checkImageSanity', () => {
  it('accepts an ordinary image', () => {
    expect(checkImageSanity(new Float32Array([-0.3, 0.1, 0.9, -1]))).toEqual({ ok: true });
  });

  it('reports NaN and infinities as nan, even alongside zeros', () => {
    expect(checkImageSanity(new Float32Array([0.1, Number.NaN, 0.2]))).toEqual({ ok: false, reason: 'nan' });
    expect(checkImageSanity(new Float32Array([0, 0, Number.POSITIVE_INFINITY]))).toEqual({ ok: false, reason: 'nan' });
    expect(checkImageSanity(new Float32Array([Number.NEGATIVE_INFINITY, 0.5]))).toEqual({ ok: false, reason: 'nan' });
  });

  it('reports an all-zero buffer (fp16 without shader-f16) as all-zero, including -0', () => {
    expect(checkImageSanity(new Float32Array(3 * 8 * 8))).toEqual({ ok: false, reason: 'all-zero' });
    expect(checkImageSanity(new Float32Array([0, -0, 0]))).toEqual({ ok: false, reason: 'all-zero' });
  });

  it('reports a flat non-zero image as constant, with the 1e-6 threshold', () => {
    expect(checkImageSanity(new Float32Array([0.25, 0.25, 0.25]))).toEqual({ ok: false, reason: 'constant' });
    expect(checkImageSanity(new Float32Array([0.5, 0.5 + 5e-7]))).toEqual({ ok: false, reason: 'constant' });
    expect(checkImageSanity(new Float32Array([0.5, 0.5 + 2e-6]))).toEqual({ ok: true });
    // A single non-zero pixel among zeros is a real (if odd) image, not all-zero.
    expect(checkImageSanity(new Float32Array([0, 0, 0.01]))).toEqual({ ok: true });
  });
});
