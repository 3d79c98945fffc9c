// Seeded RNG tests: known answers, determinism, statistics, validation and exact resume via state.

import { describe, it, expect } from 'vitest';
import { createRng, randomSeed } from './rng';
import type { RngState } from './rng';

function take<T>(count: number, next: () => T): T[] {
  return Array.from({ length: count }, next);
}

describe('createRng', () => {
  it('starts with the Random123 Philox4x32-10 known-answer block for seed 0 (all-zero key and counter)', () => {
    const rng = createRng(0);
    expect(take(4, rng.nextUint32)).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
  });

  it('builds normals by Box–Muller from consecutive words: sqrt(-2 ln((w0+1)/2^32)) * (cos, sin)(2 pi w1/2^32)', () => {
    const [w0, w1, w2, w3] = [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8];
    const radius = (w: number) => Math.sqrt(-2 * Math.log((w + 1) / 2 ** 32));
    const angle = (w: number) => (2 * Math.PI * w) / 2 ** 32;
    const expected = [
      radius(w0) * Math.cos(angle(w1)),
      radius(w0) * Math.sin(angle(w1)),
      radius(w2) * Math.cos(angle(w3)),
      radius(w2) * Math.sin(angle(w3)),
    ];
    const actual = take(4, createRng(0).normal);
    actual.forEach((value, i) => expect(Math.abs(value - expected[i])).toBeLessThan(1e-14));
  });

  it('is deterministic: the same seed gives the same words, floats and normals', () => {
    const a = createRng(123456789);
    const b = createRng(123456789);
    expect(take(50, a.nextUint32)).toEqual(take(50, b.nextUint32));
    expect(take(50, a.nextFloat)).toEqual(take(50, b.nextFloat));
    expect(take(50, a.normal)).toEqual(take(50, b.normal));
  });

  it('gives different sequences for different seeds and different streams', () => {
    const first = take(8, createRng(1).nextUint32);
    expect(take(8, createRng(2).nextUint32)).not.toEqual(first);
    expect(take(8, createRng(1, 1).nextUint32)).not.toEqual(first);
    expect(take(8, createRng(0xffffffff).nextUint32)).not.toEqual(first);
  });

  it('rejects seeds that are not 32-bit unsigned integers', () => {
    for (const bad of [-1, 1.5, 2 ** 32, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createRng(bad)).toThrow(RangeError);
    }
    expect(() => createRng(1, -3)).toThrow(/Stream must be an integer/);
    expect(() => createRng(0xffffffff)).not.toThrow();
  });

  it('keeps floats in [0, 1) and words in [0, 2^32)', () => {
    const rng = createRng(42);
    for (let i = 0; i < 10000; i++) {
      const f = rng.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
      const w = rng.nextUint32();
      expect(Number.isInteger(w) && w >= 0 && w < 2 ** 32).toBe(true);
    }
  });

  it('produces standard normals: mean ~0, variance ~1, ~68.27% within one sigma', () => {
    const count = 100_000;
    const values = createRng(2024).fillNormal(new Float32Array(count));
    let sum = 0;
    let sumSquares = 0;
    let withinOne = 0;
    let nonFinite = 0;
    for (const v of values) {
      if (!Number.isFinite(v)) nonFinite++;
      sum += v;
      sumSquares += v * v;
      if (Math.abs(v) < 1) withinOne++;
    }
    expect(nonFinite).toBe(0);
    const mean = sum / count;
    const variance = sumSquares / count - mean * mean;
    // Standard errors: mean 1/sqrt(n) ~ 0.0032, variance sqrt(2/n) ~ 0.0045, proportion ~ 0.0015.
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    expect(Math.abs(withinOne / count - 0.682689)).toBeLessThan(0.008);
  });

  it('produces uniform floats with mean ~1/2 and variance ~1/12', () => {
    const rng = createRng(7);
    const values = take(100_000, rng.nextFloat);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });

  it('fillNormal equals repeated normal() calls, including across an odd split', () => {
    const filled = createRng(99).fillNormal(new Float32Array(7));
    const single = createRng(99);
    expect(Array.from(filled)).toEqual(take(7, single.normal).map(Math.fround));
  });

  it('resumes the exact sequence from getState/setState, through JSON, at every phase', () => {
    for (let warmup = 0; warmup < 9; warmup++) {
      const original = createRng(31337);
      take(warmup, original.nextUint32);
      original.normal(); // leaves a spare normal pending
      const saved = JSON.parse(JSON.stringify(original.getState())) as RngState;
      const expected = [...take(5, original.normal), ...take(6, original.nextUint32), original.nextFloat()];

      const resumed = createRng(1); // a different seed: the state must fully override it
      resumed.setState(saved);
      expect([...take(5, resumed.normal), ...take(6, resumed.nextUint32), resumed.nextFloat()]).toEqual(expected);
    }
  });

  it('carries the block counter into higher words', () => {
    const rng = createRng(5);
    rng.setState({ algorithm: 'philox4x32-10', key: [5, 0], counter: [0xffffffff, 0, 0, 0], used: 4, spareNormal: null });
    rng.nextUint32();
    expect(rng.getState().counter).toEqual([0, 1, 0, 0]);
  });

  it('rejects malformed states', () => {
    const rng = createRng(5);
    const good = rng.getState();
    expect(() => rng.setState({ ...good, used: 5 })).toThrow(TypeError);
    expect(() => rng.setState({ ...good, counter: [1, 2, 3] as unknown as RngState['counter'] })).toThrow(TypeError);
    expect(() => rng.setState({ ...good, algorithm: 'pcg32' as RngState['algorithm'] })).toThrow(TypeError);
    expect(() => rng.setState({ ...good, spareNormal: Number.NaN })).toThrow(TypeError);
  });
});

describe('randomSeed', () => {
  it('returns 32-bit unsigned integers that vary', () => {
    const seeds = take(16, randomSeed);
    for (const seed of seeds) expect(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff).toBe(true);
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });
});
