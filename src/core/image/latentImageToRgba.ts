// Converts the VAE decoder's NCHW float image in [-1, 1] to interleaved RGBA bytes for canvas / PNG.

const RGB_CHANNELS = 3;
const OPAQUE = 255;

/**
 * chw holds one image (N = 1) as three planes R, G, B of width*height floats each. Each value
 * maps as round((clamp(x, -1, 1) + 1) / 2 * 255), the usual diffusers `(x / 2 + 0.5).clamp(0, 1)`
 * followed by rounding. Rounding is explicit (half up, as floor(v + 0.5) on non-negative values)
 * because Uint8ClampedArray itself rounds half to even. NaN becomes 0; callers should
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
  const green = planeSize;
  const blue = 2 * planeSize;
  for (let pixel = 0, out = 0; pixel < planeSize; pixel++, out += 4) {
    rgba[out] = toByte(chw[pixel]);
    rgba[out + 1] = toByte(chw[green + pixel]);
    rgba[out + 2] = toByte(chw[blue + pixel]);
    rgba[out + 3] = OPAQUE;
  }
  return rgba;
}

/** round((clamp(x, -1, 1) + 1) / 2 * 255), half up; NaN gives NaN, which the Uint8ClampedArray stores as 0. */
function toByte(x: number): number {
  return x <= -1 ? 0 : x >= 1 ? 255 : Math.floor(((x + 1) / 2) * 255 + 0.5);
}
