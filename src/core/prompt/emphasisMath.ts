// The three ways to apply per-token emphasis weights: embedding scaling (A1111), lerp from the empty prompt (ComfyUI/Compel), attention gain (Prompt-to-Prompt).
//
// Embeddings are row-major Float32Array [T, D] (one encoder window, or several concatenated along T);
// weights has length T. Every function returns a new array. A shape mismatch is a programming error and
// throws a RangeError; user prompts cannot cause one.
import type { EmphasisMode } from '../../shared/settings';

/** The modes' names are listed once, in shared/settings (EMPHASIS_MODE_NAMES); this file describes each. */
export type { EmphasisMode };

export interface EmphasisModeInfo {
  /** Shown in the UI, naming the convention users know it by. */
  label: string;
  /** What the weight touches. */
  actsOn: 'embeddings' | 'attention';
  /** Needs the encoding of the empty prompt "" (with the same window layout). */
  needsEmptyPrompt: boolean;
  description: string;
}

export const EMPHASIS_MODES = {
  embeddingScaling: {
    label: 'Embedding scaling (A1111)',
    actsOn: 'embeddings',
    needsEmptyPrompt: false,
    description: "Each token's text-encoder vector is multiplied by its weight, then the whole window is rescaled to its original mean.",
  },
  lerpFromEmpty: {
    label: 'Lerp from empty prompt (ComfyUI/Compel)',
    actsOn: 'embeddings',
    needsEmptyPrompt: true,
    description: "Each token's vector moves away from (w > 1) or towards (w < 1) the empty prompt's vector: z_empty + w (z - z_empty).",
  },
  attentionGain: {
    label: 'Attention gain (Prompt-to-Prompt)',
    actsOn: 'attention',
    needsEmptyPrompt: false,
    description: "Embeddings are untouched; the denoiser multiplies each token's post-softmax cross-attention by its weight.",
  },
} as const satisfies Record<EmphasisMode, EmphasisModeInfo>;

/** A1111's emphasis option: "Original" rescales to the original mean, "No norm" skips the rescale. */
export type A1111Normalization = 'original' | 'noNorm';

function rowWidth(z: Float32Array, weights: ArrayLike<number>, what: string): number {
  const tokens = weights.length;
  if (tokens === 0 || z.length % tokens !== 0) {
    throw new RangeError(`${what}: embedding of ${z.length} values does not split into ${tokens} token rows.`);
  }
  return z.length / tokens;
}

function mean(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/**
 * A1111 (modules/sd_emphasis.py, EmphasisOriginal): z[t] *= w[t], then z *= mean(z_before) / mean(z_after).
 * When the weighted mean is 0 (or not finite) the rescale is skipped, where A1111 would produce NaN/Inf.
 */
export function applyA1111Emphasis(
  z: Float32Array,
  weights: ArrayLike<number>,
  normalization: A1111Normalization = 'original',
): Float32Array {
  const width = rowWidth(z, weights, 'applyA1111Emphasis');
  const out = new Float32Array(z.length);
  for (let t = 0; t < weights.length; t++) {
    const w = weights[t];
    for (let d = 0; d < width; d++) out[t * width + d] = z[t * width + d] * w;
  }
  if (normalization === 'noNorm') return out;
  const before = mean(z);
  const after = mean(out);
  const scale = before / after;
  if (after === 0 || !Number.isFinite(scale)) return out;
  for (let i = 0; i < out.length; i++) out[i] *= scale;
  return out;
}

/** ComfyUI / Compel up-weighting: z_empty + w (z - z_empty), token by token. */
export function applyLerpFromEmpty(z: Float32Array, zEmpty: Float32Array, weights: ArrayLike<number>): Float32Array {
  const width = rowWidth(z, weights, 'applyLerpFromEmpty');
  if (zEmpty.length !== z.length)
    throw new RangeError(`applyLerpFromEmpty: empty-prompt embedding has ${zEmpty.length} values, the prompt's ${z.length}.`);
  const out = new Float32Array(z.length);
  for (let t = 0; t < weights.length; t++) {
    const w = weights[t];
    for (let d = 0; d < width; d++) {
      const i = t * width + d;
      out[i] = zEmpty[i] + w * (z[i] - zEmpty[i]);
    }
  }
  return out;
}

/**
 * Per-token multipliers for the patched denoiser's `token_gain` input (Prompt-to-Prompt re-weighting:
 * post-softmax cross-attention to token i is multiplied by w_i). Length T; a new array.
 */
export function attentionGains(weights: ArrayLike<number>): Float32Array {
  return Float32Array.from(weights);
}
