// DPM-Solver++(2M) (k-diffusion sample_dpmpp_2m / diffusers DPMSolverMultistepScheduler, epsilon prediction) as per-step linear coefficients.

import { eulerSigmaSchedule, sigmaSpaceStepFields } from './eulerPlan';
import type { TimestepSpacing } from './timestepSpacing';
import type { SamplerPlan, SamplerStep } from './types';

/**
 * The diffusers DPMSolverMultistepScheduler options this plan reproduces (its defaults, which
 * SD 1.5 pipelines keep), and what each means here:
 *  - algorithm_type 'dpmsolver++': the solver integrates the data prediction (denoised).
 *  - solver_order 2, solver_type 'midpoint': one previous denoised is kept (the 2M update).
 *  - lower_order_final true with final_sigmas_type 'zero': the last step, to sigma = 0, is
 *    first order, so x_next = denoised exactly (no log(0) anywhere).
 */
export const DPMPP_2M_CONFIG = {
  lowerOrderFinal: true,
} as const;

/**
 * Sigma space as for Euler (x = x_t / sqrt(alphaBar), x0 = denoised = x - sigma * eps), with
 * t = -log(sigma), h = t_next - t, so exp(-h) = sigma_next / sigma:
 *   first and last step:  x_next = (sigma_next/sigma) x - (exp(-h) - 1) * denoised
 *   otherwise:            r = h_last / h
 *                         D = (1 + 1/(2r)) denoised - (1/(2r)) old_denoised
 *                         x_next = (sigma_next/sigma) x - (exp(-h) - 1) * D
 * Substituting denoised = x - sigma * eps and old_denoised = prevX0 (the previous step's x0,
 * which the step graph carries) makes every step linear in (x, eps, prevX0). The first-order
 * steps reduce exactly to Euler's (latentCoef 1, epsCoef sigma_next - sigma), as DPM-Solver++(1)
 * is DDIM. exp(-h) is computed as the sigma ratio so the last step never forms log(0).
 *
 * Deliberate deviation: timesteps and sigmas are Euler's ('linspace' over 999..0, sigmas
 * interpolated, then 0), shared by all sigma-space samplers, as in k-diffusion/A1111 where the
 * sampler and the schedule are independent. diffusers' DPMSolverMultistepScheduler spaces its
 * own integer timesteps as linspace(0, 999, n + 1).round()[::-1][:-1], so its last model call
 * is at t = round(999 / (n + 1)) rather than t = 0; per-step updates are identical.
 */
export function makeDpmpp2mPlan(numSteps: number, spacing: TimestepSpacing = 'linspace'): SamplerPlan {
  const { timesteps, sigmas } = eulerSigmaSchedule(numSteps, spacing);
  const lastIndex = numSteps - 1;

  const steps: SamplerStep[] = timesteps.map((timestep, index) => {
    const sigma = sigmas[index];
    const sigmaNext = sigmas[index + 1];
    const fields = sigmaSpaceStepFields(index, timestep, sigma);
    const ratio = sigmaNext / sigma; // exp(-h)
    // Weight of denoised in x_next: -(exp(-h) - 1).
    const denoisedWeight = 1 - ratio;
    const firstOrder = index === 0 || (DPMPP_2M_CONFIG.lowerOrderFinal && index === lastIndex);

    let currentWeight = denoisedWeight;
    let prevX0Coef = 0;
    if (!firstOrder) {
      const h = Math.log(sigma / sigmaNext);
      const hLast = Math.log(sigmas[index - 1] / sigma);
      const halfInverseR = h / (2 * hLast); // 1/(2r) with r = h_last / h
      currentWeight = denoisedWeight * (1 + halfInverseR);
      prevX0Coef = -denoisedWeight * halfInverseR;
    }

    return {
      ...fields,
      latentCoef: ratio + currentWeight * fields.x0LatentCoef,
      epsCoef: currentWeight * fields.x0EpsCoef,
      noiseCoef: 0,
      prevX0Coef,
    };
  });

  // Start like Euler: sigma_max * N(0, 1) in sigma space (k-diffusion's convention). diffusers'
  // DPMSolverMultistepScheduler starts from N(0, 1) in alpha space, i.e. sqrt(sigma_max^2 + 1)
  // here, 0.2% larger; we keep one convention for all sigma-space samplers.
  return { sampler: 'dpmpp_2m', steps, initNoiseSigma: sigmas[0] };
}
