// PNG encoding figures for `npm run bench` (run in the storage bench's worker, where the engine also encodes): the
// browser's encoder (encodePngNative) against fast-png (encodePng) on the same opaque image (gradients and noise, as
// generated images are), with a parameters chunk. Milliseconds per image, median of 15 encodes after 3 warm-ups, at
// the built-in model's and SD 1.5's sizes.
import { encodePngNative } from './nativePng';
import { encodePng } from './pngText';

const WARM_UPS = 3;
const RUNS = 15;
const TEXT = { parameters: 'a red circle\nSteps: 16, Sampler: Euler, CFG scale: 7.5, Seed: 1' };

async function medianMs(encode: () => unknown): Promise<number> {
  for (let i = 0; i < WARM_UPS; i++) await encode();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await encode();
    times.push(performance.now() - started);
  }
  return Number([...times].sort((a, b) => a - b)[RUNS >> 1].toFixed(2));
}

/** Keys png_encode_<size>_native_ms and png_encode_<size>_fastpng_ms per size. */
export async function pngEncodeBench(sizes: readonly number[] = [128, 512]): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  for (const size of sizes) {
    const rgba = imageLike(size);
    figures[`png_encode_${size}_native_ms`] = await medianMs(() => encodePngNative(rgba, size, size, TEXT));
    figures[`png_encode_${size}_fastpng_ms`] = await medianMs(() => encodePng(rgba, size, size, TEXT));
  }
  return figures;
}

/** Opaque gradients with a little noise: compresses about as a generated image does (pure noise would not compress). */
function imageLike(size: number): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  let state = 1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      const noise = state >>> 28;
      rgba[i] = ((x * 255) / size + noise) & 0xff;
      rgba[i + 1] = ((y * 255) / size + noise) & 0xff;
      rgba[i + 2] = (((x + y) * 127) / size + noise) & 0xff;
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}
