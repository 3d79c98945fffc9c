// Seeded, resumable, platform-independent random numbers: Philox4x32-10 words, uniform floats and Box–Muller normals.

import { cosSinOfUint32Turn, logOfUint32Fraction } from './deterministicMath';
import { philox4x32_10 } from './philox';

const MAX_UINT32 = 0xffffffff;
const WORDS_PER_BLOCK = 4;
const TWO_POW_26 = 0x4000000;
const TWO_POW_53 = 2 ** 53;

/**
 * Everything needed to continue a sequence exactly: plain numbers, so JSON round-trips it
 * (JSON writes doubles in shortest round-trip form, so `spareNormal` survives bit-for-bit).
 */
export interface RngState {
  algorithm: 'philox4x32-10';
  /** Philox key: [seed, stream]. */
  key: [number, number];
  /** 128-bit counter (least significant word first) of the block being consumed. */
  counter: [number, number, number, number];
  /** Words of that block already handed out, 0..4. */
  used: number;
  /** Box–Muller makes normals in pairs; the second one waits here. */
  spareNormal: number | null;
}

export interface Rng {
  /** Uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** Uniform float in [0, 1) with 53 random bits (two words). */
  nextFloat(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Fills `out` with standard normals; identical to calling normal() out.length times. */
  fillNormal(out: Float32Array): Float32Array;
  getState(): RngState;
  setState(state: RngState): void;
}

function isUint32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_UINT32;
}

function assertUint32(value: number, what: string): void {
  if (!isUint32(value)) {
    throw new RangeError(`${what} must be an integer from 0 to ${MAX_UINT32}; got ${value}.`);
  }
}

function assertValidState(state: RngState): void {
  const valid =
    state !== null &&
    typeof state === 'object' &&
    state.algorithm === 'philox4x32-10' &&
    Array.isArray(state.key) &&
    state.key.length === 2 &&
    state.key.every(isUint32) &&
    Array.isArray(state.counter) &&
    state.counter.length === WORDS_PER_BLOCK &&
    state.counter.every(isUint32) &&
    Number.isInteger(state.used) &&
    state.used >= 0 &&
    state.used <= WORDS_PER_BLOCK &&
    (state.spareNormal === null || Number.isFinite(state.spareNormal));
  if (!valid) throw new TypeError(`Not a Philox4x32-10 RNG state: ${JSON.stringify(state)}`);
}

/**
 * Creates a generator. The seed (and optional stream, for independent sequences from one seed,
 * e.g. initial latents vs. per-step sampler noise) form the Philox key; the counter starts at 0,
 * so createRng(0) yields exactly Random123's all-zero known-answer block first.
 */
export function createRng(seed: number, stream = 0): Rng {
  assertUint32(seed, 'Seed');
  assertUint32(stream, 'Stream');
  const key = new Uint32Array([seed, stream]);
  const counter = new Uint32Array(WORDS_PER_BLOCK);
  const block = new Uint32Array(WORDS_PER_BLOCK);
  let used = 0;
  let spareNormal: number | null = null;
  philox4x32_10(counter, key, block);

  function advanceCounter(): void {
    // 128-bit increment with carry; wrapping after 2^128 blocks is unreachable in practice.
    for (let i = 0; i < WORDS_PER_BLOCK; i++) {
      counter[i] = counter[i] + 1;
      if (counter[i] !== 0) break;
    }
  }

  function nextUint32(): number {
    if (used === WORDS_PER_BLOCK) {
      advanceCounter();
      philox4x32_10(counter, key, block);
      used = 0;
    }
    return block[used++];
  }

  function nextFloat(): number {
    // The classic 53-bit construction: 27 high bits of one word, 26 of the next.
    const high = nextUint32() >>> 5;
    const low = nextUint32() >>> 6;
    return (high * TWO_POW_26 + low) / TWO_POW_53;
  }

  function normal(): number {
    if (spareNormal !== null) {
      const spare = spareNormal;
      spareNormal = null;
      return spare;
    }
    // Box–Muller: u1 = (w + 1) / 2^32 lies in (0, 1], so the log is always finite.
    const radius = Math.sqrt(-2 * logOfUint32Fraction(nextUint32() + 1));
    const { cos, sin } = cosSinOfUint32Turn(nextUint32());
    spareNormal = radius * sin;
    return radius * cos;
  }

  function fillNormal(out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = normal();
    return out;
  }

  function getState(): RngState {
    return {
      algorithm: 'philox4x32-10',
      key: [key[0], key[1]],
      counter: [counter[0], counter[1], counter[2], counter[3]],
      used,
      spareNormal,
    };
  }

  function setState(state: RngState): void {
    assertValidState(state);
    key.set(state.key);
    counter.set(state.counter);
    used = state.used;
    spareNormal = state.spareNormal;
    // The block is a pure function of (counter, key), so it is recomputed rather than stored.
    philox4x32_10(counter, key, block);
  }

  return { nextUint32, nextFloat, normal, fillNormal, getState, setState };
}

/** A fresh seed from the platform's cryptographic RNG (browsers, workers and Node all provide it). */
export function randomSeed(): number {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0];
}
