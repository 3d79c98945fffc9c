// DDIM (diffusers DDIMScheduler, eta = 0, epsilon prediction) expressed as per-step linear coefficients.

import { computeAlphasCumprod, SD_NOISE_SCHEDULE, sigmaFromAlphaBar } from './noiseSchedule';
import { spacedTimesteps, type TimestepSpacing } from './timestepSpacing';
import type { SamplerPlan, SamplerStep } from './types';

/**
 * SD 1.5's scheduler_config values that DDIM reads (diffusers DDIMScheduler defaults to
 * timestep_spacing 'leading', which that config keeps):
 *  - steps_offset 1: every 'leading' timestep is shifted up by one.
 *  - set_alpha_to_one false: the step after the last one uses alphas_cumprod[0], not 1.
 */
export const DDIM_SD15_CONFIG = {
  stepsOffset: 1,
  setAlphaToOne: false,
} as const;

/**
 * The most steps 'leading' spacing with steps_offset 1 supports: with 1000 steps the first
 * timestep would be 999 + 1 = 1000, outside the 0..999 training range (diffusers fails there
 * with an index error), so DDIM stops at 999.
 */
export const DDIM_MAX_STEPS = SD_NOISE_SCHEDULE.numTrainTimesteps - DDIM_SD15_CONFIG.stepsOffset;

/**
 * 'leading' spacing: step_ratio = 1000 // n; timesteps = arange(n)[::-1] * step_ratio + steps_offset.
 * With few steps this starts well below 999 (4 steps: 751, 501, 251, 1), as diffusers does.
 */
export function ddimTimesteps(numSteps: number, spacing: TimestepSpacing = 'leading'): number[] {
  return spacedTimesteps(spacing, numSteps, { round: true, stepsOffset: DDIM_SD15_CONFIG.stepsOffset });
}

/**
 * With eta = 0 (no fresh noise):
 *   x0     = (x - sqrt(1 - ab) * eps) / sqrt(ab)
 *   x_prev = sqrt(ab_prev) * x0 + sqrt(1 - ab_prev) * eps
 * where prev_timestep = t - step_ratio (diffusers DDIMScheduler.step), and ab_prev falls back to
 * the "final" alpha-bar once prev_timestep < 0. Expanding x0 gives the linear coefficients.
 */
export function makeDdimPlan(numSteps: number, spacing: TimestepSpacing = 'leading'): SamplerPlan {
  const alphasCumprod = computeAlphasCumprod();
  const finalAlphaBar = DDIM_SD15_CONFIG.setAlphaToOne ? 1 : alphasCumprod[0];
  const stepRatio = Math.floor(SD_NOISE_SCHEDULE.numTrainTimesteps / numSteps);

  // diffusers DDIMScheduler.step: prev_timestep = t - 1000 // n whatever the spacing.
  const steps: SamplerStep[] = ddimTimesteps(numSteps, spacing).map((timestep, index) => {
    const alphaBar = alphasCumprod[timestep];
    const previousTimestep = timestep - stepRatio;
    const alphaBarPrev = previousTimestep >= 0 ? alphasCumprod[previousTimestep] : finalAlphaBar;
    const x0LatentCoef = 1 / Math.sqrt(alphaBar);
    const x0EpsCoef = -Math.sqrt(1 - alphaBar) / Math.sqrt(alphaBar);
    return {
      index,
      timestep,
      modelInputScale: 1,
      latentCoef: Math.sqrt(alphaBarPrev) * x0LatentCoef,
      epsCoef: Math.sqrt(alphaBarPrev) * x0EpsCoef + Math.sqrt(1 - alphaBarPrev),
      noiseCoef: 0,
      x0LatentCoef,
      x0EpsCoef,
      prevX0Coef: 0,
      sigma: sigmaFromAlphaBar(alphaBar),
      alphaBar,
    };
  });

  // DDIMScheduler.init_noise_sigma is 1: latents start as plain N(0, 1) x_T.
  return { sampler: 'ddim', steps, initNoiseSigma: 1 };
}
