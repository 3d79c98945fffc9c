// Exports for slides: a strip of the x0 previews as one PNG, and an animated GIF of them.
import { applyPalette, GIFEncoder, quantize } from 'gifenc';
import type { StepView } from '../../shared/protocol';

/** Nearest-neighbour upscale of an RGBA image by an integer factor. */
function upscale(rgba: Uint8ClampedArray, width: number, height: number, factor: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * factor * factor * 4);
  for (let y = 0; y < height * factor; y++)
    for (let x = 0; x < width * factor; x++) {
      const src = (Math.floor(y / factor) * width + Math.floor(x / factor)) * 4;
      out.set(rgba.subarray(src, src + 4), (y * width * factor + x) * 4);
    }
  return out;
}

export const EXPORT_SCALE = 8;

/** Every step's x0 preview side by side (upscaled), as a PNG blob. */
export async function stripPng(views: StepView[]): Promise<Blob> {
  const { width, height } = views[0];
  const w = width * EXPORT_SCALE;
  const h = height * EXPORT_SCALE;
  const canvas = new OffscreenCanvas(w * views.length, h);
  const ctx = canvas.getContext('2d')!;
  views.forEach((v, i) =>
    ctx.putImageData(new ImageData(upscale(v.x0, width, height, EXPORT_SCALE) as Uint8ClampedArray<ArrayBuffer>, w, h), i * w, 0),
  );
  return canvas.convertToBlob({ type: 'image/png' });
}

/** The x0 previews as an animated GIF (looping, 400 ms a frame). */
export function x0Gif(views: StepView[]): Blob {
  const gif = GIFEncoder();
  const { width, height } = views[0];
  for (const v of views) {
    const rgba = upscale(v.x0, width, height, EXPORT_SCALE);
    const palette = quantize(rgba, 256);
    gif.writeFrame(applyPalette(rgba, palette), width * EXPORT_SCALE, height * EXPORT_SCALE, { palette, delay: 400 });
  }
  gif.finish();
  return new Blob([gif.bytes() as Uint8Array<ArrayBuffer>], { type: 'image/gif' });
}
