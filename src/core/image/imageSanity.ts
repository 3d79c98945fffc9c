// Detects decoded images that are numerically broken (NaN, all zeros, flat) before they are shown or saved.

export type ImageSanity = { ok: true } | { ok: false; reason: 'nan' | 'all-zero' | 'constant' };

/**
 * Values within this range of each other count as one flat colour: a real decode always has
 * far more spread, while a collapsed one (e.g. fp16 overflow clamped away) is flat to ~1e-7.
 */
export const CONSTANT_IMAGE_RANGE = 1e-6;

/**
 * Checks in order of diagnostic value:
 *  - 'nan': any NaN or +-Infinity (fp16 overflow in the VAE/UNet).
 *  - 'all-zero': every value exactly 0, the signature of fp16 shaders on a GPU without
 *    shader-f16 support, which silently return zeros. An empty array also counts: nothing came out.
 *  - 'constant': max - min < CONSTANT_IMAGE_RANGE.
 */
export function checkImageSanity(chw: Float32Array): ImageSanity {
  let min = Infinity;
  let max = -Infinity;
  let allZero = true;
  for (let i = 0; i < chw.length; i++) {
    const value = chw[i];
    if (!Number.isFinite(value)) return { ok: false, reason: 'nan' };
    if (value !== 0) allZero = false;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (allZero) return { ok: false, reason: 'all-zero' };
  if (max - min < CONSTANT_IMAGE_RANGE) return { ok: false, reason: 'constant' };
  return { ok: true };
}
