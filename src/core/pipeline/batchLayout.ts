// Which denoiser batch row holds what: the negative prompt (with classifier-free guidance) and the prompt's parts.
// Conditioning decides it once; guidance weights, the teaching view, heatmaps and MaskDiffusion's masks read it
// instead of guessing from the batch size (an AND prompt has 1 + K rows, not 2).

export interface BatchLayout {
  /** Rows the denoiser runs. */
  rows: number;
  /** The negative prompt's row with classifier-free guidance, else null. */
  unconditionalRow: number | null;
  /** The prompt's rows, one per AND part (one for a plain or blended prompt), with each part's weight. */
  conditionalRows: { row: number; weight: number }[];
}

/** [negative?, part 1, ..., part K]: the order encodeConditioning builds the batch in. */
export function batchLayout(guided: boolean, partWeights: number[]): BatchLayout {
  const first = guided ? 1 : 0;
  return {
    rows: first + partWeights.length,
    unconditionalRow: guided ? 0 : null,
    conditionalRows: partWeights.map((weight, k) => ({ row: first + k, weight })),
  };
}

/**
 * Per-row weights of the guided prediction (they sum to 1). With guidance g, composable diffusion (A1111 AND):
 * eps = uncond + g * sum_k w_k (cond_k - uncond). Without it, the parts' weighted mean.
 */
export function guidanceWeightsFor(layout: BatchLayout, guidance: number): Float32Array {
  const weights = new Float32Array(layout.rows);
  if (layout.unconditionalRow !== null) {
    for (const { row, weight } of layout.conditionalRows) weights[row] = guidance * weight;
    weights[layout.unconditionalRow] = 1 - layout.conditionalRows.reduce((a, { weight }) => a + guidance * weight, 0);
  } else {
    const total = layout.conditionalRows.reduce((a, { weight }) => a + weight, 0) || 1;
    for (const { row, weight } of layout.conditionalRows) weights[row] = weight / total;
  }
  return weights;
}

/**
 * Per-row weights of the prompt's own prediction, what guidance 1 would give: uncond + sum_k w_k (cond_k - uncond)
 * (cond itself for a single prompt). Null without a negative row: then there is no split to show.
 */
export function promptOnlyWeights(layout: BatchLayout): Float32Array | null {
  return layout.unconditionalRow === null ? null : guidanceWeightsFor(layout, 1);
}

/** The negative prompt's own prediction: all weight on its row; null without one. */
export function negativeOnlyWeights(layout: BatchLayout): Float32Array | null {
  if (layout.unconditionalRow === null) return null;
  const weights = new Float32Array(layout.rows);
  weights[layout.unconditionalRow] = 1;
  return weights;
}
