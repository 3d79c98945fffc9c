// Euler (diffusers EulerDiscreteScheduler, epsilon prediction) expressed as per-step linear coefficients.

import { alphaBarFromSigma, computeAlphasCumprod, SD_NOISE_SCHEDULE, trainingSigmas } from './noiseSchedule';
import type { SamplerPlan, SamplerStep } from './types';

/**
 * Timestep spacing: 'linspace', EulerDiscreteScheduler's default, which is what SD 1.5 gets
 * (its scheduler_config sets no timestep_spacing):
 *   timesteps = np.linspace(0, num_train_timesteps - 1, n)[::-1]
 * so the first step always starts at the top of the schedule (t = 999).
 * Deliberate deviation: numpy's linspace with n = 1 returns [0] (a "denoise" from sigma_min that
 * yields noise); we use [999] so a 1-step Euler run starts, like every other n, at sigma_max.
 * Timesteps stay float64 (diffusers rounds them to float32; the difference is < 1e-4 timesteps).
 */
export function eulerTimesteps(numSteps: number): number[] {
  const last = SD_NOISE_SCHEDULE.numTrainTimesteps - 1;
  if (numSteps === 1) return [last];
  // numpy places point j at j * step and pins the final point to `stop` exactly.
  const step = last / (numSteps - 1);
  const timesteps: number[] = [];
  for (let i = 0; i < numSteps; i++) {
    const fromStart = numSteps - 1 - i;
    timesteps.push(fromStart === numSteps - 1 ? last : fromStart * step);
  }
  return timesteps;
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
export function eulerSigmaSchedule(numSteps: number): { timesteps: number[]; sigmas: number[] } {
  const sigmasByTimestep = trainingSigmas(computeAlphasCumprod());
  const timesteps = eulerTimesteps(numSteps);
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
export function makeEulerPlan(numSteps: number): SamplerPlan {
  const { timesteps, sigmas } = eulerSigmaSchedule(numSteps);
  const steps: SamplerStep[] = timesteps.map((timestep, index) => ({
    ...sigmaSpaceStepFields(index, timestep, sigmas[index]),
    latentCoef: 1,
    epsCoef: sigmas[index + 1] - sigmas[index],
    noiseCoef: 0,
    prevX0Coef: 0,
  }));

  // diffusers `init_noise_sigma` returns max(sigmas) for 'linspace'/'trailing' spacing (and
  // sqrt(max^2 + 1) only for 'leading'); the first sigma is the maximum.
  return { sampler: 'euler', steps, initNoiseSigma: sigmas[0] };
}
