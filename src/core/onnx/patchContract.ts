// The patched denoiser's added inputs and outputs: the one place their names and meanings live.
// See ../shared/design/maskdiffusion.md (MaskDiffusion, arXiv 2309.04399) for the formulas.
//
// Only the batch's last row is modulated (cross and self terms): the prompt's row in every batch MaskDiffusion runs
// on, [negative, prompt] or [prompt] alone (it refuses AND prompts), and a fixed batch's padding repeats the last row,
// whose output is the one kept (batchedRun.ts). Other rows pass unchanged whatever their masks and strengths, so
// the negative prompt's half costs nothing (npm run bench: maskdiffusion_tiny_ratio). Token gains apply to every row.

export const PATCHED_INPUTS = {
  /** float32 [B, T, h, w] at latent resolution: M[pixel, token]; zeros for the unconditional entry. */
  crossMask: 'cross_mask',
  /** float32 [B]: lambda_t * user strength for S += [M>0.05] M (rowmax(S) - S); 0 disables. */
  crossStrength: 'cross_strength',
  /** float32 [B]: lambda_t during the early steps for S -= [M==0] (S - rowmin(S)); 0 disables. */
  crossSuppress: 'cross_suppress',
  /** float32 [B]: 1 adds the reference code's extra S * [M >= 0.05] term; 0 for the corrected formula. */
  crossReference: 'cross_reference',
  /** float32 [B, T]: multiplier on post-softmax cross-attention per token (Prompt-to-Prompt); 1 disables. */
  tokenGain: 'token_gain',
  /** float32 [B, K, h, w]: K object masks for the self-attention pair mask (DenseDiffusion). */
  selfMask: 'self_mask',
  /** float32 [B]: 0.3 * lambda_t * user strength for the self-attention term; 0 disables. */
  selfStrength: 'self_strength',
} as const;

export const PATCHED_OUTPUTS = {
  /** float32 [B, T, h', w']: cross-attention probabilities averaged over heads and the layers of one resolution. */
  attnMaps: 'attn_maps',
} as const;

/** Mask thresholds of the method (maskdiffusion.md, item 4). */
export const MASK_THRESHOLD = 0.05;

/** Marker written into the model's producer name so a patched graph is recognised and not patched twice. */
export const PATCHED_PRODUCER_SUFFIX = '+studio-attention-patch';
