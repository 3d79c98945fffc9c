// Decodes PNG bytes for e2e comparisons and reads the A1111 `parameters` text chunk.
import { decode } from 'fast-png';

export function pngPixels(png: Buffer): { data: Uint8Array; width: number; height: number; text: Record<string, string> } {
  const image = decode(png);
  return { data: image.data as Uint8Array, width: image.width, height: image.height, text: image.text };
}

/** Mean absolute difference per channel (RGB), in 0..255 units. */
export function meanAbsDiffRgb(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < a.length; i += 4) {
    for (let c = 0; c < 3; c++) sum += Math.abs(a[i + c] - b[i + c]);
    count += 3;
  }
  return sum / count;
}
