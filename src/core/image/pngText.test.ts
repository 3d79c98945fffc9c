// PNG tests: text chunk round-trips (tEXt/iTXt), pixel fidelity via fast-png decode, determinism, damage detection.

import { describe, it, expect } from 'vitest';
import { decode } from 'fast-png';
import { crc32 } from './crc32';
import { encodePng, insertPngText, readPngText } from './pngText';

function testImage(width: number, height: number): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < rgba.length; i++) rgba[i] = (i * 37 + (i >> 3)) & 0xff;
  return rgba;
}

/** Chunk types in file order, read straight from the byte layout (length, type, data, CRC). */
function chunkTypes(png: Uint8Array): string[] {
  const types: string[] = [];
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let offset = 8; offset < png.length; ) {
    const length = view.getUint32(offset);
    types.push(String.fromCharCode(...png.subarray(offset + 4, offset + 8)));
    offset += length + 12;
  }
  return types;
}

const PARAMETERS = 'a cat, "quoted"\nNegative prompt: blurry\nSteps: 20, Sampler: Euler, CFG scale: 7, Seed: 1, Size: 4x3, Model: tiny';

describe('encodePng / readPngText', () => {
  it('round-trips Latin-1 text through tEXt and pixels through a standard decoder', () => {
    const rgba = testImage(4, 3);
    const png = encodePng(rgba, 4, 3, { parameters: PARAMETERS, Software: 'studio café' });
    expect(readPngText(png)).toEqual({ parameters: PARAMETERS, Software: 'studio café' });
    expect(chunkTypes(png).filter((t) => t === 'tEXt')).toHaveLength(2);

    const decoded = decode(png);
    expect([decoded.width, decoded.height, decoded.channels, decoded.depth]).toEqual([4, 3, 4, 8]);
    expect(Array.from(decoded.data)).toEqual(Array.from(rgba));
    expect(decoded.text).toEqual({ parameters: PARAMETERS, Software: 'studio café' });
  });

  it('stores non-Latin-1 text (emoji, CJK) in a valid iTXt chunk, text chunks right after IHDR', () => {
    const prompt = '富士山 at dawn 🌅\nNegative prompt: ぼやけ';
    const png = encodePng(testImage(2, 2), 2, 2, { parameters: prompt, plain: 'ascii' });
    expect(readPngText(png)).toEqual({ parameters: prompt, plain: 'ascii' });
    const types = chunkTypes(png);
    expect(types).toEqual(['IHDR', 'iTXt', 'tEXt', 'IDAT', 'IEND']);
    // fast-png still decodes the file (it verifies every chunk's CRC by default).
    expect(Array.from(decode(png).data)).toEqual(Array.from(testImage(2, 2)));
  });

  it('is byte-deterministic for identical input', () => {
    const a = encodePng(testImage(8, 8), 8, 8, { parameters: PARAMETERS, note: 'ü 🙂' });
    const b = encodePng(testImage(8, 8), 8, 8, { parameters: PARAMETERS, note: 'ü 🙂' });
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('inserts text chunks after the IHDR of an existing PNG, and refuses bytes that are not a PNG', () => {
    const plain = encodePng(testImage(3, 2), 3, 2);
    const png = insertPngText(plain, { parameters: PARAMETERS, note: 'ü 🙂' });
    expect(chunkTypes(png)).toEqual(['IHDR', 'tEXt', 'iTXt', 'IDAT', 'IEND']);
    expect(readPngText(png)).toEqual({ parameters: PARAMETERS, note: 'ü 🙂' });
    expect(Array.from(decode(png).data)).toEqual(Array.from(testImage(3, 2)));
    expect(insertPngText(plain, {})).toBe(plain);
    expect(() => insertPngText(plain.slice(1), { a: 'b' })).toThrow(/Not a PNG file/);
    expect(() => insertPngText(new TextEncoder().encode('<html>not an image</html>'), {})).toThrow(/Not a PNG file/);
  });

  it('writes no text chunks when none are given', () => {
    const png = encodePng(testImage(2, 2), 2, 2);
    expect(readPngText(png)).toEqual({});
    expect(chunkTypes(png)).not.toContain('tEXt');
  });

  it('rejects bad keywords and mismatched pixel buffers', () => {
    expect(() => encodePng(testImage(2, 2), 2, 2, { '': 'x' })).toThrow(RangeError);
    expect(() => encodePng(testImage(2, 2), 2, 2, { ' lead': 'x' })).toThrow(RangeError);
    expect(() => encodePng(testImage(2, 2), 2, 2, { ['k'.repeat(80)]: 'x' })).toThrow(RangeError);
    expect(() => encodePng(testImage(2, 2), 2, 2, { 'kéy✓': 'x' })).toThrow(RangeError);
    expect(() => encodePng(testImage(2, 2), 3, 2)).toThrow(RangeError);
  });

  it('refuses non-PNG input, truncated files and corrupted text chunks', () => {
    expect(() => readPngText(new Uint8Array([1, 2, 3]))).toThrow(/Not a PNG/);
    const png = encodePng(testImage(2, 2), 2, 2, { parameters: 'hello' });
    expect(() => readPngText(png.subarray(0, png.length - 20))).toThrow();
    const corrupted = png.slice();
    const latin1 = String.fromCharCode(...corrupted);
    const textStart = latin1.indexOf('tEXtparameters\0hello') + 'tEXtparameters\0'.length;
    expect(textStart).toBeGreaterThan(8);
    corrupted[textStart] = 0x48; // 'h' -> 'H': the tEXt CRC no longer matches
    expect(() => readPngText(corrupted)).toThrow(/bad CRC/);
  });

  it('reads tEXt and uncompressed iTXt chunks written by another encoder', () => {
    // Build a PNG by hand: signature, the IHDR of a 1x1 greyscale image, a tEXt and an iTXt chunk, IEND.
    const chunk = (type: string, data: number[]): number[] => {
      const body = new Uint8Array([...type].map((c) => c.charCodeAt(0)).concat(data));
      const crc = crc32(body);
      const len = data.length;
      return [
        len >>> 24,
        (len >> 16) & 255,
        (len >> 8) & 255,
        len & 255,
        ...body,
        crc >>> 24,
        (crc >> 16) & 255,
        (crc >> 8) & 255,
        crc & 255,
      ];
    };
    const bytes = (s: string) => [...new TextEncoder().encode(s)];
    const png = new Uint8Array([
      0x89,
      0x50,
      0x4e,
      0x47,
      0x0d,
      0x0a,
      0x1a,
      0x0a,
      ...chunk('IHDR', [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]),
      ...chunk('tEXt', [...bytes('Comment'), 0, 0xe9]), // Latin-1 0xE9 = 'é'
      ...chunk('iTXt', [...bytes('parameters'), 0, 0, 0, ...bytes('ja'), 0, ...bytes('パラメータ'), 0, ...bytes('猫 ✓')]),
      ...chunk('iTXt', [...bytes('zipped'), 0, 1, 0, 0, 0, 0x78, 0x9c]), // compressed: skipped
      ...chunk('IEND', []),
    ]);
    expect(readPngText(png)).toEqual({ Comment: 'é', parameters: '猫 ✓' });
  });
});
