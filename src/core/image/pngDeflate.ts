// PNG encoding for the engine worker: rows filtered here, deflated by the browser's own zlib (CompressionStream).
// The canvas encoder (nativePng.ts) is as fast alone, but Chromium runs its work in idle time, so right after a
// generation, with the worker busy, it took ~10 ms for a 128 px image instead of ~4; this path runs at once.
import { crc32 } from './crc32';
import { assertImageSize, encodePng, insertPngText } from './pngText';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** IHDR colour types (PNG spec section 11.2.2). */
const RGB = 2;
const RGBA = 6;

/** Whether this runtime can deflate natively (browsers; Node 18+). */
export const canDeflateNatively = () => typeof CompressionStream === 'function';

/**
 * 8-bit RGBA pixels as a PNG with text chunks (see insertPngText): RGB when every pixel is opaque, as generated
 * images are (a quarter less to deflate), RGBA otherwise. Pixels come back exactly; needs CompressionStream.
 */
export async function encodePngDeflated(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  textChunks: Record<string, string> = {},
): Promise<Uint8Array> {
  assertImageSize(rgba, width, height);
  const channels = isOpaque(rgba) ? 3 : 4;
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, channels === 3 ? RGB : RGBA, 0, 0, 0], 8); // bit depth, colour type, deflate, adaptive filters, no interlace
  const png = concat([
    Uint8Array.from(PNG_SIGNATURE),
    chunk('IHDR', header),
    chunk('IDAT', await deflate(filterRows(rgba, width, height, channels))),
    chunk('IEND', new Uint8Array(0)),
  ]);
  return insertPngText(png, textChunks);
}

function isOpaque(rgba: ArrayLike<number>): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return false;
  return true;
}

/**
 * Each row led by its filter type (PNG spec section 9): of None, Sub, Up, Average and Paeth, the one whose output has
 * the smallest sum of magnitudes, libpng's heuristic, which deflate then compresses best as a rule.
 */
function filterRows(rgba: ArrayLike<number>, width: number, height: number, channels: 3 | 4): Uint8Array {
  const stride = width * channels;
  const out = new Uint8Array((stride + 1) * height);
  let row = new Uint8Array(stride);
  let above = new Uint8Array(stride); // zeros above the first row
  const trials = Array.from({ length: 5 }, () => new Uint8Array(stride));
  const [none, sub, up, average, paeth] = trials;
  /** A filtered byte's magnitude, read as signed (libpng's "sum of absolute differences"). */
  const size = (byte: number) => (byte < 128 ? byte : 256 - byte);
  for (let y = 0; y < height; y++) {
    for (let x = 0, from = y * width * 4, to = 0; x < width; x++, from += 4) for (let c = 0; c < channels; c++) row[to++] = rgba[from + c];
    const sums = [0, 0, 0, 0, 0];
    for (let i = 0; i < stride; i++) {
      const value = row[i];
      const left = i >= channels ? row[i - channels] : 0;
      const top = above[i];
      const corner = i >= channels ? above[i - channels] : 0;
      const estimate = left + top - corner;
      const toLeft = Math.abs(estimate - left);
      const toTop = Math.abs(estimate - top);
      const toCorner = Math.abs(estimate - corner);
      const predicted = toLeft <= toTop && toLeft <= toCorner ? left : toTop <= toCorner ? top : corner;
      none[i] = value;
      sub[i] = value - left; // typed arrays keep the low 8 bits: arithmetic modulo 256, as the spec has it
      up[i] = value - top;
      average[i] = value - ((left + top) >> 1);
      paeth[i] = value - predicted;
      sums[0] += size(none[i]);
      sums[1] += size(sub[i]);
      sums[2] += size(up[i]);
      sums[3] += size(average[i]);
      sums[4] += size(paeth[i]);
    }
    const best = sums.indexOf(Math.min(...sums));
    out[y * (stride + 1)] = best;
    out.set(trials[best], y * (stride + 1) + 1);
    [row, above] = [above, row];
  }
  return out;
}

/** zlib-wrapped deflate (what IDAT holds) by the runtime's own zlib. */
async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new CompressionStream('deflate');
  const writer = stream.writable.getWriter();
  // A failure shows on the readable side too, which is awaited; these would only be unhandled rejections.
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  return new Uint8Array(await new Response(stream.readable).arrayBuffer());
}

/** length, type, data, CRC over type and data (PNG spec section 5.3). */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The engine's encoder: encodePngDeflated where the runtime deflates natively, else fast-png (encodePng). */
export function encodeImagePng(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  textChunks: Record<string, string> = {},
): Promise<Uint8Array> {
  return canDeflateNatively()
    ? encodePngDeflated(rgba, width, height, textChunks)
    : Promise.resolve(encodePng(rgba, width, height, textChunks));
}
