// Euler ancestral (diffusers EulerAncestralDiscreteScheduler, eta = 1, epsilon prediction) as per-step linear coefficients.

import { eulerInitNoiseSigma, eulerSigmaSchedule, sigmaSpaceStepFields } from './eulerPlan';
import type { TimestepSpacing } from './timestepSpacing';
import type { SamplerPlan, SamplerStep } from './types';

/**
 * Ancestral split of the move from sigma to sigma_next (k-diffusion get_ancestral_step with
 * eta = 1, the form diffusers EulerAncestralDiscreteScheduler.step inlines):
 *   sigma_up   = sqrt(sigma_next^2 * (sigma^2 - sigma_next^2) / sigma^2)
 *   sigma_down = sqrt(sigma_next^2 - sigma_up^2)
 * The deterministic Euler step lands at sigma_down and fresh noise of std sigma_up brings the
 * total noise back to sigma_next. With sigma_next = 0 both are 0 (the last step adds no noise).
 */
export function ancestralSplit(sigma: number, sigmaNext: number): { sigmaUp: number; sigmaDown: number } {
  const sigmaUp = Math.sqrt((sigmaNext * sigmaNext * (sigma * sigma - sigmaNext * sigmaNext)) / (sigma * sigma));
  // Clamp the rounding residue so a last-bit negative never turns into NaN.
  const sigmaDown = Math.sqrt(Math.max(0, sigmaNext * sigmaNext - sigmaUp * sigmaUp));
  return { sigmaUp, sigmaDown };
}

/**
 * Same sigma space, timesteps, sigmas and model input as Euler; the update is
 *   x_next = x + (sigma_down - sigma) * eps + sigma_up * freshNoise
 * (derivative (x - x0) / sigma = eps, dt = sigma_down - sigma). freshNoise is N(0, 1) drawn
 * by the pipeline's seeded RNG, so runs are reproducible per seed but not bit-identical to
 * diffusers' torch generator.
 */
export function makeEulerAncestralPlan(numSteps: number, spacing: TimestepSpacing = 'linspace'): SamplerPlan {
  const { timesteps, sigmas } = eulerSigmaSchedule(numSteps, spacing);
  const steps: SamplerStep[] = timesteps.map((timestep, index) => {
    const sigma = sigmas[index];
    const { sigmaUp, sigmaDown } = ancestralSplit(sigma, sigmas[index + 1]);
    return {
      ...sigmaSpaceStepFields(index, timestep, sigma),
      latentCoef: 1,
      epsCoef: sigmaDown - sigma,
      noiseCoef: sigmaUp,
      prevX0Coef: 0,
    };
  });

  // EulerAncestralDiscreteScheduler.init_noise_sigma follows Euler's rule.
  return { sampler: 'euler_a', steps, initNoiseSigma: eulerInitNoiseSigma(sigmas[0], spacing) };
}
