// The WebAssembly SHA-256 against Node's (OpenSSL's): every length around the block and padding edges, pieces of any
// size, the input area's edge, files past 512 MiB (the length's high word), and save/load/init/digest mid-stream.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Sha256 } from './sha256';
import { SHA256_INPUT_BYTES } from './sha256Module';

const reference = (...parts: Uint8Array[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};
const patterned = (length: number, seed = 1) => new Uint8Array(length).map((_, i) => (i * 131 + seed * 7 + (i >> 8)) & 0xff);

describe('Sha256', () => {
  it('matches the standard digests of "" and "abc"', async () => {
    const hasher = await Sha256.create();
    expect(hasher.digest()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    hasher.update(new TextEncoder().encode('abc'));
    expect(hasher.digest()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes every length from 0 to 300 bytes in one piece', async () => {
    const hasher = await Sha256.create();
    const data = patterned(300);
    for (let length = 0; length <= 300; length++) {
      expect(hasher.init().update(data.subarray(0, length)).digest(), `length ${length}`).toBe(reference(data.subarray(0, length)));
    }
  });

  it('gives the same digest whatever the pieces, including pieces across the input area', async () => {
    const data = patterned(SHA256_INPUT_BYTES * 2 + 1000, 3);
    const want = reference(data);
    for (const pieceBytes of [7, 63, 64, 65, 1000, SHA256_INPUT_BYTES - 1, SHA256_INPUT_BYTES + 65, data.length]) {
      const hasher = await Sha256.create();
      for (let start = 0; start < data.length; start += pieceBytes) hasher.update(data.subarray(start, start + pieceBytes));
      expect(hasher.digest(), `pieces of ${pieceBytes}`).toBe(want);
    }
    const byBytes = await Sha256.create(); // one byte at a time to begin with, then the rest
    for (let i = 0; i < 300; i++) byBytes.update(data.subarray(i, i + 1));
    expect(byBytes.update(data.subarray(300)).digest()).toBe(want);
  });

  it('encodes lengths past 512 MiB (the bit count no longer fits 32 bits)', async () => {
    const piece = patterned(16 << 20, 5);
    const pieces = 33; // 528 MiB
    const hasher = await Sha256.create();
    const hash = createHash('sha256');
    for (let i = 0; i < pieces; i++) {
      hasher.update(piece);
      hash.update(piece);
    }
    hasher.update(piece.subarray(0, 17));
    hash.update(piece.subarray(0, 17));
    expect(hasher.digest()).toBe(hash.digest('hex'));
  });

  it('digest leaves the hash open, save/load roll back to a mid-block point, init starts over', async () => {
    const data = patterned(1000, 9);
    const hasher = await Sha256.create();
    hasher.update(data.subarray(0, 100));
    expect(hasher.digest()).toBe(reference(data.subarray(0, 100)));
    const saved = hasher.save();
    hasher.update(patterned(777, 2)); // a write that failed: rolled back below
    hasher.load(saved);
    hasher.update(data.subarray(100));
    expect(hasher.digest()).toBe(reference(data));

    const other = await Sha256.create(); // a saved state moves to another hasher
    other.load(saved);
    expect(other.update(data.subarray(100)).digest()).toBe(reference(data));
    expect(other.init().update(data.subarray(0, 10)).digest()).toBe(reference(data.subarray(0, 10)));
    expect(() => other.load(new Uint8Array(12))).toThrow(/saved SHA-256 state/);
  });
});
