// Philox4x32-10 counter-based block function (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011).

/**
 * Constants from the paper and the Random123 reference (philox.h):
 * round multipliers PHILOX_M4x32_0/1 and Weyl key increments PHILOX_W32_0/1 (golden ratio, sqrt(3) - 1).
 */
export const PHILOX_4X32 = {
  multiplier0: 0xd2511f53,
  multiplier1: 0xcd9e8d57,
  keyIncrement0: 0x9e3779b9,
  keyIncrement1: 0xbb67ae85,
  rounds: 10,
} as const;

const TWO_POW_16 = 0x10000;
const TWO_POW_32 = 0x100000000;

/**
 * High 32 bits of the 64-bit product of two uint32s, exactly, without BigInt: split into 16-bit
 * halves so every partial product (< 2^50 after shifting) is exact in a float64.
 */
function mulHigh32(a: number, b: number): number {
  const aHigh = a >>> 16;
  const aLow = a & 0xffff;
  const bHigh = b >>> 16;
  const bLow = b & 0xffff;
  const middle = (aHigh * bLow + aLow * bHigh) * TWO_POW_16 + aLow * bLow;
  return (aHigh * bHigh + Math.floor(middle / TWO_POW_32)) >>> 0;
}

/**
 * Encrypts the 128-bit counter (c0 least significant) under the 64-bit key and writes the four
 * output words to `out`. Pure function of its inputs, which is what makes resuming trivial.
 */
export function philox4x32_10(counter: ArrayLike<number>, key: ArrayLike<number>, out: Uint32Array | number[]): void {
  const { multiplier0, multiplier1, keyIncrement0, keyIncrement1, rounds } = PHILOX_4X32;
  let c0 = counter[0] >>> 0;
  let c1 = counter[1] >>> 0;
  let c2 = counter[2] >>> 0;
  let c3 = counter[3] >>> 0;
  let k0 = key[0] >>> 0;
  let k1 = key[1] >>> 0;
  for (let round = 0; round < rounds; round++) {
    if (round > 0) {
      k0 = (k0 + keyIncrement0) >>> 0;
      k1 = (k1 + keyIncrement1) >>> 0;
    }
    const high0 = mulHigh32(multiplier0, c0);
    const low0 = Math.imul(multiplier0, c0) >>> 0;
    const high1 = mulHigh32(multiplier1, c2);
    const low1 = Math.imul(multiplier1, c2) >>> 0;
    c0 = (high1 ^ c1 ^ k0) >>> 0;
    c1 = low1;
    c2 = (high0 ^ c3 ^ k1) >>> 0;
    c3 = low0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}
