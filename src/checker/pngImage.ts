// PNG bytes (as the engine sends them) to the RGBA image the checkers read.
import { decode } from 'fast-png';
import type { CheckerImage } from './checkerTypes';

export function checkerImageFromPng(png: Uint8Array): CheckerImage {
  const decoded = decode(png);
  if (decoded.depth !== 8 || decoded.palette)
    throw new Error(`Checker: expected an 8-bit RGB(A) PNG, got depth ${decoded.depth}${decoded.palette ? ' with a palette' : ''}.`);
  const { width, height, channels } = decoded;
  const source = decoded.data as Uint8Array;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, o = 0; o < rgba.length; i += channels, o += 4) {
    const grey = channels < 3;
    rgba[o] = source[i];
    rgba[o + 1] = grey ? source[i] : source[i + 1];
    rgba[o + 2] = grey ? source[i] : source[i + 2];
    rgba[o + 3] = channels === 4 ? source[i + 3] : channels === 2 ? source[i + 1] : 255;
  }
  return { width, height, rgba };
}
