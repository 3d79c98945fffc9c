// Euler (diffusers EulerDiscreteScheduler, epsilon prediction) expressed as per-step linear coefficients.

import { alphaBarFromSigma, computeAlphasCumprod, trainingSigmas } from './noiseSchedule';
import { spacedTimesteps, type TimestepSpacing } from './timestepSpacing';
import type { SamplerPlan, SamplerStep } from './types';

/**
 * Timestep spacing: 'linspace' by default, EulerDiscreteScheduler's default, which is what SD 1.5 gets
 * (its scheduler_config sets no timestep_spacing); SD-Turbo's config says 'trailing'.
 * See spacedTimesteps for each spacing and the one deliberate deviation (1 linspace step starts at 999).
 * Timesteps stay float64 (diffusers rounds them to float32; the difference is < 1e-4 timesteps).
 */
export function eulerTimesteps(numSteps: number, spacing: TimestepSpacing = 'linspace'): number[] {
  return spacedTimesteps(spacing, numSteps);
}

/** np.interp(t, arange(len(values)), values): piecewise-linear lookup at a fractional timestep. */
export function interpolateAtTimestep(values: Float64Array, timestep: number): number {
  if (timestep <= 0) return values[0];
  const lastIndex = values.length - 1;
  if (timestep >= lastIndex) return values[lastIndex];
  const lower = Math.floor(timestep);
  const fraction = timestep - lower;
  return values[lower] + fraction * (values[lower + 1] - values[lower]);
}

/**
 * The Euler-family sigma schedule: 'linspace' timesteps, sigmas linearly interpolated in the
 * training table, then a trailing 0 (diffusers appends sigma = 0 after the last step), so
 * `sigmas` has numSteps + 1 entries. Euler ancestral and DPM++ 2M reuse it unchanged.
 */
export function eulerSigmaSchedule(numSteps: number, spacing: TimestepSpacing = 'linspace'): { timesteps: number[]; sigmas: number[] } {
  const sigmasByTimestep = trainingSigmas(computeAlphasCumprod());
  const timesteps = eulerTimesteps(numSteps, spacing);
  const sigmas = timesteps.map((t) => interpolateAtTimestep(sigmasByTimestep, t));
  sigmas.push(0);
  return { timesteps, sigmas };
}

/**
 * The fields every sampler in diffusers' sigma-scaled space (x = x_t / sqrt(alphaBar)) shares:
 * model input x / sqrt(sigma^2 + 1), x0 = x - sigma * eps, and the alphaBar the interpolated
 * sigma implies. Each sampler adds its own update coefficients.
 */
export function sigmaSpaceStepFields(
  index: number,
  timestep: number,
  sigma: number,
): Pick<SamplerStep, 'index' | 'timestep' | 'modelInputScale' | 'x0LatentCoef' | 'x0EpsCoef' | 'sigma' | 'alphaBar'> {
  return {
    index,
    timestep,
    modelInputScale: 1 / Math.sqrt(sigma * sigma + 1),
    x0LatentCoef: 1,
    x0EpsCoef: -sigma,
    sigma,
    // The interpolated sigma defines the step's noise level, so alphaBar follows from it.
    alphaBar: alphaBarFromSigma(sigma),
  };
}

/**
 * Euler in diffusers' sigma-scaled space (x = x_t / sqrt(alphaBar)), with s_churn = 0 so
 * sigma_hat = sigma:
 *   model input = x / sqrt(sigma^2 + 1)
 *   x0          = x - sigma * eps
 *   x_next      = x + (sigma_next - sigma) * eps          (sigma after the last step is 0)
 * so after the last step x equals the final x0, already in the VAE's (scaled) latent space.
 */
export function makeEulerPlan(numSteps: number, spacing: TimestepSpacing = 'linspace'): SamplerPlan {
  const { timesteps, sigmas } = eulerSigmaSchedule(numSteps, spacing);
  const steps: SamplerStep[] = timesteps.map((timestep, index) => ({
    ...sigmaSpaceStepFields(index, timestep, sigmas[index]),
    latentCoef: 1,
    epsCoef: sigmas[index + 1] - sigmas[index],
    noiseCoef: 0,
    prevX0Coef: 0,
  }));

  return { sampler: 'euler', steps, initNoiseSigma: eulerInitNoiseSigma(sigmas[0], spacing) };
}

/**
 * diffusers `init_noise_sigma`: max(sigmas) for 'linspace'/'trailing' spacing and sqrt(max^2 + 1)
 * for 'leading'; the first sigma is the maximum.
 */
export function eulerInitNoiseSigma(firstSigma: number, spacing: TimestepSpacing): number {
  return spacing === 'leading' ? Math.sqrt(firstSigma * firstSigma + 1) : firstSigma;
}
