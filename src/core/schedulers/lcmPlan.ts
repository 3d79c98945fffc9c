// LCM (diffusers LCMScheduler, epsilon prediction) few-step sampler expressed as per-step linear coefficients.

import { computeAlphasCumprod, SD_NOISE_SCHEDULE, sigmaFromAlphaBar } from './noiseSchedule';
import type { SamplerPlan, SamplerStep } from './types';

/** LCMScheduler constructor defaults (diffusers schedulers/scheduling_lcm.py). */
export const LCM_CONFIG = {
  /** The distillation schedule had 50 steps: timesteps 19, 39, ..., 999 (k = 1000 // 50 = 20). */
  originalInferenceSteps: 50,
  /** Consistency-model boundary condition data std (get_scalings_for_boundary_condition_discrete). */
  sigmaData: 0.5,
  /** Timesteps are multiplied by this before the boundary scalings (makes c_skip ~ 0 except near t = 0). */
  timestepScaling: 10,
  /** Few-step samplers are only meaningful (and only validated) up to this many steps. */
  maxSteps: 8,
} as const;

/**
 * diffusers LCMScheduler.set_timesteps (strength 1): take the 50 distillation timesteps in
 * descending order (999, 979, ..., 19) and pick indices floor(linspace(0, 50, n, endpoint=False)).
 * 1 step: [999]; 2: [999, 499]; 4: [999, 759, 499, 259]. Like 'trailing' spacing, it always
 * starts at t = 999, which is what few-step (LCM, SD-Turbo) models need.
 */
export function lcmTimesteps(numSteps: number): number[] {
  const { numTrainTimesteps } = SD_NOISE_SCHEDULE;
  const { originalInferenceSteps } = LCM_CONFIG;
  const skip = Math.floor(numTrainTimesteps / originalInferenceSteps);
  const descendingOrigin: number[] = [];
  for (let j = originalInferenceSteps; j >= 1; j--) descendingOrigin.push(j * skip - 1);
  // numpy's linspace(endpoint=False) places point m at m * (stop / num).
  const spacing = originalInferenceSteps / numSteps;
  const timesteps: number[] = [];
  for (let m = 0; m < numSteps; m++) timesteps.push(descendingOrigin[Math.floor(m * spacing)]);
  return timesteps;
}

/** c_skip, c_out of the consistency-model parameterisation at timestep t. */
export function lcmBoundaryScalings(timestep: number): { cSkip: number; cOut: number } {
  const { sigmaData, timestepScaling } = LCM_CONFIG;
  const scaled = timestep * timestepScaling;
  const denominator = scaled * scaled + sigmaData * sigmaData;
  return { cSkip: (sigmaData * sigmaData) / denominator, cOut: scaled / Math.sqrt(denominator) };
}

/**
 * diffusers LCMScheduler.step:
 *   x0       = (x - sqrt(1 - ab) * eps) / sqrt(ab)
 *   denoised = c_out * x0 + c_skip * x
 *   x_next   = sqrt(ab_prev) * denoised + sqrt(1 - ab_prev) * z   (z ~ N(0,1), fresh each step)
 *   x_next   = denoised                                           (last step: no re-noising)
 * ab_prev is the alpha-bar of the next planned timestep. The preview x0 is `denoised`, the same
 * quantity the last step returns, so previews and the final image agree.
 */
export function makeLcmPlan(numSteps: number): SamplerPlan {
  const alphasCumprod = computeAlphasCumprod();
  const timesteps = lcmTimesteps(numSteps);

  const steps: SamplerStep[] = timesteps.map((timestep, index) => {
    const alphaBar = alphasCumprod[timestep];
    const { cSkip, cOut } = lcmBoundaryScalings(timestep);
    const denoisedLatentCoef = cOut / Math.sqrt(alphaBar) + cSkip;
    const denoisedEpsCoef = (-cOut * Math.sqrt(1 - alphaBar)) / Math.sqrt(alphaBar);
    const isLast = index === timesteps.length - 1;
    const alphaBarNext = isLast ? 1 : alphasCumprod[timesteps[index + 1]];
    return {
      index,
      timestep,
      modelInputScale: 1,
      latentCoef: Math.sqrt(alphaBarNext) * denoisedLatentCoef,
      epsCoef: Math.sqrt(alphaBarNext) * denoisedEpsCoef,
      noiseCoef: Math.sqrt(1 - alphaBarNext),
      x0LatentCoef: denoisedLatentCoef,
      x0EpsCoef: denoisedEpsCoef,
      prevX0Coef: 0,
      sigma: sigmaFromAlphaBar(alphaBar),
      alphaBar,
    };
  });

  // LCMScheduler.init_noise_sigma is 1.
  return { sampler: 'lcm', steps, initNoiseSigma: 1 };
}
