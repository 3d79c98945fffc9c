// The Stable Diffusion training noise schedule (betas -> alpha-bars -> sigmas) that every sampler plan is built on.

/**
 * Stable Diffusion 1.x/2.x training schedule, as in diffusers' scheduler_config.json shipped with
 * runwayml/stable-diffusion-v1-5 (and stabilityai/sd-turbo):
 *   "num_train_timesteps": 1000, "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear".
 * 'scaled_linear' means betas = linspace(sqrt(beta_start), sqrt(beta_end), 1000) ** 2
 * (the `beta_schedule == "scaled_linear"` branch of the diffusers DDPM/DDIM/Euler/LCM scheduler constructors).
 */
export const SD_NOISE_SCHEDULE = {
  numTrainTimesteps: 1000,
  betaStart: 0.00085,
  betaEnd: 0.012,
} as const;

/**
 * Scaled-linear betas in float64. diffusers builds them in float32 torch; float64 differs by
 * ~1e-7 relative, far below what an fp16 denoiser can resolve, and keeps our plans exact to test.
 */
export function scaledLinearBetas(): Float64Array {
  const { numTrainTimesteps, betaStart, betaEnd } = SD_NOISE_SCHEDULE;
  const first = Math.sqrt(betaStart);
  const last = Math.sqrt(betaEnd);
  const betas = new Float64Array(numTrainTimesteps);
  for (let t = 0; t < numTrainTimesteps; t++) {
    // Same point placement as numpy.linspace: start + t * step, with the last point exact.
    const root = t === numTrainTimesteps - 1 ? last : first + (t * (last - first)) / (numTrainTimesteps - 1);
    betas[t] = root * root;
  }
  return betas;
}

/** alphas_cumprod[t] = prod_{s<=t} (1 - beta_s): the signal fraction left at training timestep t. */
export function computeAlphasCumprod(): Float64Array {
  const betas = scaledLinearBetas();
  const alphasCumprod = new Float64Array(betas.length);
  let product = 1;
  for (let t = 0; t < betas.length; t++) {
    product *= 1 - betas[t];
    alphasCumprod[t] = product;
  }
  return alphasCumprod;
}

/** Variance-exploding noise level of a variance-preserving alpha-bar: x/sqrt(ab) = x0 + sigma * eps. */
export function sigmaFromAlphaBar(alphaBar: number): number {
  return Math.sqrt((1 - alphaBar) / alphaBar);
}

/** Inverse of sigmaFromAlphaBar. */
export function alphaBarFromSigma(sigma: number): number {
  return 1 / (1 + sigma * sigma);
}

/** sigma for every integer training timestep (diffusers EulerDiscreteScheduler's `sigmas` before interpolation). */
export function trainingSigmas(alphasCumprod: Float64Array): Float64Array {
  const sigmas = new Float64Array(alphasCumprod.length);
  for (let t = 0; t < alphasCumprod.length; t++) sigmas[t] = sigmaFromAlphaBar(alphasCumprod[t]);
  return sigmas;
}
