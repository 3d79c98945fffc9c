// Converts the VAE decoder's NCHW float image in [-1, 1] to interleaved RGBA bytes for canvas / PNG.

const RGB_CHANNELS = 3;
const OPAQUE = 255;

/**
 * chw holds one image (N = 1) as three planes R, G, B of width*height floats each. Each value
 * maps as round((clamp(x, -1, 1) + 1) / 2 * 255), the usual diffusers `(x / 2 + 0.5).clamp(0, 1)`
 * followed by rounding. Rounding is explicit (half away from zero via Math.round on non-negative
 * values) because Uint8ClampedArray itself rounds half to even. NaN becomes 0; callers should
 * run checkImageSanity first to notice it.
 */
export function latentImageToRgba(chw: Float32Array, width: number, height: number): Uint8ClampedArray {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`Image size must be positive integers; got ${width}x${height}.`);
  }
  const planeSize = width * height;
  if (chw.length !== RGB_CHANNELS * planeSize) {
    throw new RangeError(`Expected ${RGB_CHANNELS}x${height}x${width} = ${RGB_CHANNELS * planeSize} values; got ${chw.length}.`);
  }
  const rgba = new Uint8ClampedArray(planeSize * 4);
  for (let pixel = 0; pixel < planeSize; pixel++) {
    for (let channel = 0; channel < RGB_CHANNELS; channel++) {
      const value = chw[channel * planeSize + pixel];
      const clamped = value < -1 ? -1 : Math.min(value, 1);
      rgba[pixel * 4 + channel] = Math.round(((clamped + 1) / 2) * 255);
    }
    rgba[pixel * 4 + 3] = OPAQUE;
  }
  return rgba;
}
