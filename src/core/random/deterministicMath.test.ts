// Tests that the reproducible log/cos/sin agree with Math.* to near machine precision.

import { describe, it, expect } from 'vitest';
import { cosSinOfUint32Turn, logOfUint32Fraction } from './deterministicMath';

const TWO_POW_32 = 2 ** 32;

/** Evenly spread and edge-case uint32 words to probe the whole input range. */
function probeWords(): number[] {
  const words = [0, 1, 2, 3, 0x3fffffff, 0x40000000, 0x7fffffff, 0x80000000, 0xbfffffff, 0xc0000000, 0xfffffffe, 0xffffffff];
  for (let i = 0; i < 20000; i++) words.push((i * 2654435761) % 4294967296);
  return words;
}

describe('deterministic log', () => {
  it('matches Math.log(n / 2^32) to near machine precision across the range', () => {
    let worstRelativeError = 0;
    for (const word of probeWords()) {
      const n = word + 1;
      const expected = Math.log(n / TWO_POW_32);
      const error = Math.abs(logOfUint32Fraction(n) - expected) / Math.max(1, Math.abs(expected));
      worstRelativeError = Math.max(worstRelativeError, error);
    }
    expect(worstRelativeError).toBeLessThan(4e-15);
  });

  it('is exact at the ends: ln(1) = 0 and ln(2^-32) = -32 ln 2', () => {
    expect(logOfUint32Fraction(TWO_POW_32)).toBe(0);
    expect(logOfUint32Fraction(1)).toBeCloseTo(-32 * Math.LN2, 13);
    expect(logOfUint32Fraction(2 ** 31)).toBeCloseTo(-Math.LN2, 15);
  });
});

describe('deterministic cos/sin of a fraction of a turn', () => {
  it('matches Math.cos/Math.sin of 2*pi*w/2^32 to near machine precision', () => {
    let worstError = 0;
    for (const word of probeWords()) {
      const angle = (2 * Math.PI * word) / TWO_POW_32;
      const { cos, sin } = cosSinOfUint32Turn(word);
      worstError = Math.max(worstError, Math.abs(cos - Math.cos(angle)), Math.abs(sin - Math.sin(angle)));
    }
    expect(worstError).toBeLessThan(2e-15);
  });

  it('hits the quadrant boundaries exactly', () => {
    expect(cosSinOfUint32Turn(0)).toEqual({ cos: 1, sin: 0 });
    expect(cosSinOfUint32Turn(0x40000000)).toEqual({ cos: -0, sin: 1 });
    expect(cosSinOfUint32Turn(0x80000000)).toEqual({ cos: -1, sin: -0 });
    expect(cosSinOfUint32Turn(0xc0000000)).toEqual({ cos: 0, sin: -1 });
  });
});
