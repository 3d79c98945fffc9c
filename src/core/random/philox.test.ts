// Philox4x32-10 tests against the Random123 known-answer vectors.

import { describe, it, expect } from 'vitest';
import { philox4x32_10 } from './philox';

// Known-answer vectors from Random123's tests/kat_vectors ("philox4x32 10 <ctr x4> <key x2> <out x4>").
const KNOWN_ANSWERS = [
  {
    counter: [0x00000000, 0x00000000, 0x00000000, 0x00000000],
    key: [0x00000000, 0x00000000],
    out: [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8],
  },
  {
    counter: [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    key: [0xffffffff, 0xffffffff],
    out: [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
  },
  {
    counter: [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
    key: [0xa4093822, 0x299f31d0],
    out: [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
  },
];

describe('philox4x32_10', () => {
  for (const { counter, key, out } of KNOWN_ANSWERS) {
    it(`matches the Random123 known answer for key ${key.map((k) => k.toString(16)).join(',')}`, () => {
      const actual = new Uint32Array(4);
      philox4x32_10(counter, key, actual);
      expect(Array.from(actual)).toEqual(out);
    });
  }

  it('writes into plain arrays too and leaves its inputs untouched', () => {
    const counter = [1, 2, 3, 4];
    const key = [5, 6];
    const out: number[] = [];
    philox4x32_10(counter, key, out);
    expect(out).toHaveLength(4);
    expect(counter).toEqual([1, 2, 3, 4]);
    expect(key).toEqual([5, 6]);
    for (const word of out) expect(Number.isInteger(word) && word >= 0 && word <= 0xffffffff).toBe(true);
  });
});
