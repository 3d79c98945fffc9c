// Per-word attention heatmaps, DAAM-style (Tang et al. 2022): post-softmax cross-attention of the conditional
// entry, summed over the chosen steps, averaged over heads and layers (the patched graph's attn_maps already
// average heads and the layers of one resolution: the lighter variant), averaged over a word's sub-tokens,
// then normalised so the map's maximum is 1 (an all-zero map stays zero).

export interface AttentionMapsRun {
  tokens: number;
  width: number;
  height: number;
  /** [T, height, width] per denoising step. */
  perStep: Float32Array[];
}

/** steps: indices to include, or null for the whole run. */
export function wordHeatmap(run: AttentionMapsRun, tokenIndices: number[], steps: number[] | null): Float32Array {
  const pixels = run.width * run.height;
  const map = new Float32Array(pixels);
  const chosen = steps ?? run.perStep.map((_, i) => i);
  for (const s of chosen) {
    const stepMaps = run.perStep[s];
    if (!stepMaps) continue;
    for (const t of tokenIndices) for (let p = 0; p < pixels; p++) map[p] += stepMaps[t * pixels + p] / tokenIndices.length;
  }
  let max = 0;
  for (const v of map) max = Math.max(max, v);
  if (max > 0) for (let p = 0; p < pixels; p++) map[p] /= max;
  return map;
}

/** A perceptual blue -> yellow -> red ramp for a value in [0, 1], with the given alpha (0..255). */
export function heatColour(v: number, alpha: number): [number, number, number, number] {
  const x = Math.min(1, Math.max(0, v));
  const r = x < 0.5 ? x * 2 * 255 : 255;
  const g = x < 0.5 ? x * 2 * 230 : (1 - x) * 2 * 230;
  const b = x < 0.5 ? (1 - x * 2) * 255 : 0;
  return [Math.round(r), Math.round(g), Math.round(b), Math.round(alpha * x)];
}
