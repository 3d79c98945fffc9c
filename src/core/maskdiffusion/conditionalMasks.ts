// Builds the patched denoiser's mask inputs for the CFG batch [unconditional, conditional].
import { MASKDIFFUSION as MD } from './constants';
import type { TokenSpan } from './tokenSpans';

/**
 * cross_mask [2, T, h, w]: for the conditional entry, each object's key tokens are 1 inside its region and
 * its other tokens 0.2 there; the start token 0.01 and end/padding tokens 0.2 everywhere; 0 elsewhere.
 * The unconditional entry stays zero (and gets strength 0).
 */
export function buildCrossMask(
  spans: TokenSpan[],
  regionMaps: (Float32Array | null)[],
  usedTokens: number,
  tokens: number,
  pixels: number,
): Float32Array {
  const mask = new Float32Array(2 * tokens * pixels);
  const cond = tokens * pixels;
  const fillToken = (token: number, value: number, region: Float32Array | null) => {
    const base = cond + token * pixels;
    for (let p = 0; p < pixels; p++) mask[base + p] = region ? region[p] * value : value;
  };
  fillToken(0, MD.startTokenValue, null);
  for (let t = usedTokens - 1; t < tokens; t++) fillToken(t, MD.endTokenValue, null);
  spans.forEach((span, i) => {
    const region = regionMaps[i];
    if (!region) return;
    for (let t = span.start; t < span.end; t++)
      fillToken(t, span.keyTokens.includes(t) ? MD.keyTokenValue : MD.subPromptTokenValue, region);
  });
  return mask;
}

/** self_mask [2, K, h, w]: the object regions for the conditional entry (K >= 1; zeros when there are none). */
export function buildSelfMask(regionMaps: (Float32Array | null)[], pixels: number): { data: Float32Array; objects: number } {
  const present = regionMaps.filter((m): m is Float32Array => m !== null);
  const objects = Math.max(1, present.length);
  const data = new Float32Array(2 * objects * pixels);
  present.forEach((m, k) => data.set(m, (objects + k) * pixels));
  return { data, objects };
}

/** A mask that makes the patched graph an identity (used whenever masking is off). */
export function neutralMasks(tokens: number, pixels: number) {
  return { cross: new Float32Array(2 * tokens * pixels), self: new Float32Array(2 * pixels), gain: new Float32Array(2 * tokens).fill(1) };
}
