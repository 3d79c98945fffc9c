// What a teaching view shows for one denoising step: the noisy latents, the predicted clean latents (x0),
// and with classifier-free guidance the x0 each side alone would give (the guidance split).
import type { SamplerStep } from '../schedulers/types';
import { negativeOnlyWeights, promptOnlyWeights, type BatchLayout } from './batchLayout';

export interface StepSnapshot {
  index: number;
  timestep: number;
  sigma: number;
  alphaBar: number;
  /** The latents entering the step, scaled to unit variance (the denoiser's view). */
  noisy: Float32Array;
  /** Predicted clean latents from the guided prediction. */
  x0: Float32Array;
  /** x0 from the prompt's prediction alone (its AND parts combined) and from the negative prompt's (CFG only). */
  x0Cond: Float32Array | null;
  x0Uncond: Float32Array | null;
}

/** noisePred holds one prediction per row of `layout`, back to back; guidanceWeights weight them into the guided one. */
export function makeStepSnapshot(
  step: SamplerStep,
  latents: Float32Array,
  noisePred: Float32Array,
  layout: BatchLayout,
  guidanceWeights: Float32Array,
): StepSnapshot {
  const size = latents.length;
  const x0Of = (rowWeights: Float32Array | null): Float32Array | null => {
    if (!rowWeights) return null;
    const x0 = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      let eps = 0;
      for (let row = 0; row < rowWeights.length; row++) eps += rowWeights[row] * noisePred[row * size + i];
      x0[i] = step.x0LatentCoef * latents[i] + step.x0EpsCoef * eps;
    }
    return x0;
  };
  return {
    index: step.index,
    timestep: step.timestep,
    sigma: step.sigma,
    alphaBar: step.alphaBar,
    noisy: latents.map((v) => v * step.modelInputScale),
    x0: x0Of(guidanceWeights)!,
    x0Cond: x0Of(promptOnlyWeights(layout)),
    x0Uncond: x0Of(negativeOnlyWeights(layout)),
  };
}
