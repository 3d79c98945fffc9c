// PNG encoding with text metadata chunks (tEXt, or iTXt for non-Latin-1 text) and reading that metadata back.

import { encode } from 'fast-png';
import { crc32 } from './crc32';

/** PNG file signature (PNG spec section 5.2). */
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** length (4) + type (4) + CRC (4) around every chunk's data (PNG spec section 5.3). */
const CHUNK_OVERHEAD = 12;
/** PNG spec section 11.3.3.2: keywords are 1-79 printable Latin-1 characters. */
const MAX_KEYWORD_LENGTH = 79;
const KEYWORD_PATTERN = /^[\x20-\x7e\xa1-\xff]+$/;
/** tEXt may only carry Latin-1 printable text and linefeeds (PNG spec section 11.3.3.2). */
const TEXT_CHUNK_SAFE = /^[\n\x20-\x7e\xa0-\xff]*$/;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

function assertValidKeyword(keyword: string): void {
  const valid =
    keyword.length >= 1 &&
    keyword.length <= MAX_KEYWORD_LENGTH &&
    KEYWORD_PATTERN.test(keyword) &&
    keyword.trim() === keyword &&
    !keyword.includes('  ');
  if (!valid) {
    throw new RangeError(
      `PNG text keyword ${JSON.stringify(keyword)} must be 1-79 printable Latin-1 characters without leading, trailing or double spaces.`,
    );
  }
}

/** Latin-1 bytes -> string, byte for byte (TextDecoder('latin1') would apply windows-1252 instead). */
function decodeLatin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
  return text;
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
}

function writeUint32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >>> 24;
  bytes[offset + 1] = (value >>> 16) & 0xff;
  bytes[offset + 2] = (value >>> 8) & 0xff;
  bytes[offset + 3] = value & 0xff;
}

/** Frames `data` as a chunk: length, type, data, CRC over type + data. */
function buildChunk(type: string, data: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(CHUNK_OVERHEAD + data.length);
  writeUint32(chunk, 0, data.length);
  for (let i = 0; i < 4; i++) chunk[4 + i] = type.charCodeAt(i);
  chunk.set(data, 8);
  writeUint32(chunk, 8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  return chunk;
}

/**
 * Uncompressed iTXt (PNG spec section 11.3.3.4): keyword, NUL, compression flag 0, method 0,
 * empty language tag + NUL, empty translated keyword + NUL, UTF-8 text. This is what Pillow's
 * PngInfo.add_text (used by A1111) writes when text is not Latin-1.
 */
function buildItxtChunk(keyword: string, text: string): Uint8Array {
  const textBytes = utf8Encoder.encode(text);
  const data = new Uint8Array(keyword.length + 5 + textBytes.length);
  for (let i = 0; i < keyword.length; i++) data[i] = keyword.charCodeAt(i);
  // The five bytes after the keyword (NUL, flag, method, NUL, NUL) are already zero.
  data.set(textBytes, keyword.length + 5);
  return buildChunk('iTXt', data);
}

/** tEXt (PNG spec section 11.3.3.2): keyword, NUL, Latin-1 text; what A1111 writes for ASCII prompts. */
function buildTextChunk(keyword: string, text: string): Uint8Array {
  const data = new Uint8Array(keyword.length + 1 + text.length);
  for (let i = 0; i < keyword.length; i++) data[i] = keyword.charCodeAt(i);
  for (let i = 0; i < text.length; i++) data[keyword.length + 1 + i] = text.charCodeAt(i);
  return buildChunk('tEXt', data);
}

/** One chunk per entry, in insertion order: tEXt for Latin-1 text, iTXt for anything else (emoji, CJK prompts). */
function buildTextChunks(textChunks: Record<string, string>): Uint8Array[] {
  return Object.entries(textChunks).map(([keyword, text]) => {
    assertValidKeyword(keyword);
    return TEXT_CHUNK_SAFE.test(text) ? buildTextChunk(keyword, text) : buildItxtChunk(keyword, text);
  });
}

/**
 * A copy of `png` with the text chunks right after IHDR, where Pillow writes them: readers that stop at the
 * first IDAT (Pillow before load()) still see them. Output is byte-deterministic (chunk order = key order).
 */
export function insertPngText(png: Uint8Array, textChunks: Record<string, string>): Uint8Array {
  return spliceAfterIhdr(png, buildTextChunks(textChunks));
}

function spliceAfterIhdr(png: Uint8Array, chunks: Uint8Array[]): Uint8Array {
  // Signature, then IHDR (13 bytes of data) as the first chunk (PNG spec section 5.6).
  const startsRight =
    png.length >= 33 && PNG_SIGNATURE.every((byte, i) => png[i] === byte) && decodeLatin1(png.subarray(12, 16)) === 'IHDR';
  if (!startsRight) throw new Error('Not a PNG file: no signature and IHDR at its start.');
  if (chunks.length === 0) return png;
  const ihdrEnd = PNG_SIGNATURE.length + CHUNK_OVERHEAD + readUint32(png, 8);
  const out = new Uint8Array(png.length + chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  out.set(png.subarray(0, ihdrEnd), 0);
  let offset = ihdrEnd;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  out.set(png.subarray(ihdrEnd), offset);
  return out;
}

export function assertImageSize(rgba: ArrayLike<number>, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`Image size must be positive integers; got ${width}x${height}.`);
  }
  if (rgba.length !== width * height * 4) {
    throw new RangeError(`Expected ${width * height * 4} RGBA bytes for ${width}x${height}; got ${rgba.length}.`);
  }
}

/**
 * Encodes 8-bit RGBA pixels as PNG with text metadata (see insertPngText), in JavaScript (fast-png), so it
 * runs anywhere; in a browser, encodePngNative is several times faster. Byte-deterministic for identical input.
 */
export function encodePng(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  textChunks: Record<string, string> = {},
): Uint8Array {
  assertImageSize(rgba, width, height);
  const chunks = buildTextChunks(textChunks); // a bad keyword fails before the pixels are encoded
  // Level 1 deflate: several times faster than the default and barely larger on
  // generated images, which are noisy; encoding sits on the generation's critical path.
  return spliceAfterIhdr(encode({ width, height, data: rgba, channels: 4, depth: 8 }, { zlib: { level: 1 } }), chunks);
}

/** Splits chunk data at its first NUL: [before, after]; after is empty when there is no NUL. */
function splitAtNul(data: Uint8Array, from = 0): [Uint8Array, Uint8Array] {
  const nul = data.indexOf(0, from);
  if (nul < 0) return [data.subarray(from), new Uint8Array(0)];
  return [data.subarray(from, nul), data.subarray(nul + 1)];
}

/** Text of an iTXt chunk, or null when it is compressed (we carry no inflater; A1111/Pillow write it uncompressed). */
function readItxt(data: Uint8Array): [string, string | null] {
  const [keywordBytes, rest] = splitAtNul(data);
  const compressed = rest[0] === 1;
  const [, afterLanguage] = splitAtNul(rest, 2);
  const [, textBytes] = splitAtNul(afterLanguage);
  return [decodeLatin1(keywordBytes), compressed ? null : utf8Decoder.decode(textBytes)];
}

/** A text chunk left unread: too large to trust, or compressed (we carry no inflater). */
export interface SkippedTextChunk {
  keyword: string;
  type: 'tEXt' | 'iTXt' | 'zTXt';
  bytes: number;
  reason: 'too-large' | 'compressed';
}

export interface PngTextChunks {
  text: Record<string, string>;
  skipped: SkippedTextChunk[];
}

/** Keyword of a text chunk: the bytes before the first NUL, at most 79 (PNG spec section 11.3.3.2). */
function chunkKeyword(data: Uint8Array): string {
  return decodeLatin1(splitAtNul(data.subarray(0, MAX_KEYWORD_LENGTH + 1))[0]);
}

/**
 * Reads the uncompressed text chunks (tEXt and iTXt) of a PNG into keyword -> text; chunks over
 * `maxChunkBytes` and compressed ones (zTXt, compressed iTXt) are listed in `skipped`, not read.
 * Throws on a missing signature, a truncated chunk or a CRC mismatch, since metadata from a
 * damaged file should not be trusted.
 */
export function readPngTextChunks(png: Uint8Array, maxChunkBytes = Number.POSITIVE_INFINITY): PngTextChunks {
  if (png.length < PNG_SIGNATURE.length || PNG_SIGNATURE.some((byte, i) => png[i] !== byte)) {
    throw new Error('Not a PNG file: the signature is missing.');
  }
  const text: Record<string, string> = {};
  const skipped: SkippedTextChunk[] = [];
  let offset = PNG_SIGNATURE.length;
  while (offset + CHUNK_OVERHEAD <= png.length) {
    const length = readUint32(png, offset);
    const dataStart = offset + 8;
    const dataEnd = dataStart + length;
    if (dataEnd + 4 > png.length) throw new Error(`PNG chunk at byte ${offset} runs past the end of the file.`);
    const type = decodeLatin1(png.subarray(offset + 4, dataStart));
    if (type === 'IEND') return { text, skipped };
    if (type === 'tEXt' || type === 'iTXt' || type === 'zTXt') {
      if (crc32(png.subarray(offset + 4, dataEnd)) !== readUint32(png, dataEnd)) {
        throw new Error(`PNG ${type} chunk at byte ${offset} has a bad CRC.`);
      }
      const data = png.subarray(dataStart, dataEnd);
      if (type === 'zTXt') {
        skipped.push({ keyword: chunkKeyword(data), type, bytes: length, reason: 'compressed' });
      } else if (length > maxChunkBytes) {
        skipped.push({ keyword: chunkKeyword(data), type, bytes: length, reason: 'too-large' });
      } else if (type === 'tEXt') {
        const [keyword, value] = splitAtNul(data);
        text[decodeLatin1(keyword)] = decodeLatin1(value);
      } else {
        const [keyword, value] = readItxt(data);
        if (value !== null) text[keyword] = value;
        else skipped.push({ keyword, type, bytes: length, reason: 'compressed' });
      }
    }
    offset = dataEnd + 4;
  }
  throw new Error('PNG file ends without an IEND chunk.');
}

/** Every uncompressed text chunk of a PNG, keyword -> text (see readPngTextChunks). */
export function readPngText(png: Uint8Array): Record<string, string> {
  return readPngTextChunks(png).text;
}
