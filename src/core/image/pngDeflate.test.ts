// The engine's PNG encoder (rows filtered here, deflated by the runtime's zlib): exact pixels, RGB for opaque images,
// adaptive filters, text chunks, determinism.
import { decode } from 'fast-png';
import { unzlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { encodePngDeflated } from './pngDeflate';
import { readPngText } from './pngText';

/** Gradients and noise, as generated images are; `alpha` per pixel index. */
function imageLike(width: number, height: number, alpha: (i: number) => number = () => 255): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  let state = 7;
  for (let i = 0; i < width * height; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const [x, y] = [i % width, Math.floor(i / width)];
    rgba.set([(x * 9 + (state >>> 29)) & 255, (y * 5) & 255, (x * y) & 255, alpha(i)], i * 4);
  }
  return rgba;
}

/** The filter type that leads each row of the decompressed IDAT. */
function rowFilters(png: Uint8Array, width: number, height: number, channels: number): number[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let offset = 8; offset < png.length; offset += view.getUint32(offset) + 12) {
    if (String.fromCharCode(...png.subarray(offset + 4, offset + 8)) !== 'IDAT') continue;
    const rows = unzlibSync(png.subarray(offset + 8, offset + 8 + view.getUint32(offset)));
    return Array.from({ length: height }, (_, y) => rows[y * (width * channels + 1)]);
  }
  throw new Error('no IDAT');
}

describe('encodePngDeflated', () => {
  it('keeps every pixel of an opaque image, stored as RGB, choosing filters row by row', async () => {
    const rgba = imageLike(37, 23);
    const png = await encodePngDeflated(rgba, 37, 23);
    const image = decode(png);
    expect([image.width, image.height, image.channels, image.depth]).toEqual([37, 23, 3, 8]);
    expect(Array.from(image.data)).toEqual(Array.from(rgba).filter((_, i) => i % 4 !== 3));
    // The first row has nothing above it (Sub or None wins); later rows lean on the one above.
    expect(new Set(rowFilters(png, 37, 23, 3)).size).toBeGreaterThanOrEqual(2);
  });

  it('keeps alpha exactly when any pixel is not opaque', async () => {
    const rgba = imageLike(16, 9, (i) => (i % 3 === 0 ? 128 : 255));
    const image = decode(await encodePngDeflated(rgba, 16, 9));
    expect(image.channels).toBe(4);
    expect(Array.from(image.data)).toEqual(Array.from(rgba));
  });

  it('carries text chunks, is byte-deterministic, and refuses pixels that do not match the size', async () => {
    const rgba = imageLike(8, 8);
    const png = await encodePngDeflated(rgba, 8, 8, { parameters: 'a red circle\nSteps: 8, Seed: 3', note: 'ü 🙂' });
    expect(readPngText(png)).toEqual({ parameters: 'a red circle\nSteps: 8, Seed: 3', note: 'ü 🙂' });
    expect(await encodePngDeflated(rgba, 8, 8, { parameters: 'a red circle\nSteps: 8, Seed: 3', note: 'ü 🙂' })).toEqual(png);
    await expect(encodePngDeflated(rgba, 8, 7)).rejects.toThrow(RangeError);
  });
});
