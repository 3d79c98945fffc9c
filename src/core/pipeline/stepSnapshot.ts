// What a teaching view shows for one denoising step: the noisy latents, the predicted clean latents (x0),
// and with classifier-free guidance the x0 each branch alone would give (the guidance split).
import type { SamplerStep } from '../schedulers/types';

export interface StepSnapshot {
  index: number;
  timestep: number;
  sigma: number;
  alphaBar: number;
  /** The latents entering the step, scaled to unit variance (the denoiser's view). */
  noisy: Float32Array;
  /** Predicted clean latents from the guided prediction. */
  x0: Float32Array;
  /** x0 from the conditional and the unconditional prediction alone (CFG only). */
  x0Cond: Float32Array | null;
  x0Uncond: Float32Array | null;
}

/** noisePred holds `guidanceWeights.length` predictions back to back ([uncond, cond] with CFG). */
export function makeStepSnapshot(step: SamplerStep, latents: Float32Array, noisePred: Float32Array, guidanceWeights: Float32Array): StepSnapshot {
  const size = latents.length;
  const x0From = (eps: (i: number) => number) => Float32Array.from({ length: size }, (_, i) => step.x0LatentCoef * latents[i] + step.x0EpsCoef * eps(i));
  const guided = (i: number) => {
    let e = 0;
    for (let b = 0; b < guidanceWeights.length; b++) e += guidanceWeights[b] * noisePred[b * size + i];
    return e;
  };
  const cfg = guidanceWeights.length === 2;
  return {
    index: step.index,
    timestep: step.timestep,
    sigma: step.sigma,
    alphaBar: step.alphaBar,
    noisy: latents.map((v) => v * step.modelInputScale),
    x0: x0From(guided),
    x0Cond: cfg ? x0From((i) => noisePred[size + i]) : null,
    x0Uncond: cfg ? x0From((i) => noisePred[i]) : null,
  };
}
