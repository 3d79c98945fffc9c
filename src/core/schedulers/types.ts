// Shared types for sampler plans: per-step scalar coefficients that the ONNX step graph applies to latents.

import type { SamplerName } from '../../shared/settings';

export type { SamplerName };

/**
 * One denoising step, reduced to scalars. The scheduler never sees a latent tensor: the
 * step graph on the GPU computes
 *   sample  = modelInputScale * x                           (fed to the denoiser with `timestep`)
 *   x_next  = latentCoef * x + epsCoef * eps + noiseCoef * freshNoise + prevX0Coef * prevX0
 *   x0      = x0LatentCoef * x + x0EpsCoef * eps            (preview of the clean latent)
 * where eps is the (guided) epsilon prediction — or, after adaptPlanToPrediction, the raw
 * (guided) model output, whose coefficients have then been rewritten to match — and prevX0 is
 * the x0 the previous step computed (zeros on the first step). Multistep solvers (DPM++ 2M)
 * need that one tensor of history; single-step samplers leave prevX0Coef at 0.
 */
export interface SamplerStep {
  /** 0-based position in the plan. */
  index: number;
  /** DDPM timestep given to the denoiser; fractional for Euler, integral for DDIM/LCM. */
  timestep: number;
  /** Multiplies the current latents to form the denoiser's `sample` input (Euler: 1/sqrt(sigma^2+1), else 1). */
  modelInputScale: number;
  latentCoef: number;
  epsCoef: number;
  /** 0 for deterministic updates; LCM re-noises with fresh N(0,1) on every step but the last. */
  noiseCoef: number;
  /** x0 coefficients; x0 lives in the same space as the final latents handed to the VAE. */
  x0LatentCoef: number;
  x0EpsCoef: number;
  /**
   * Weight of the previous step's x0 (its x0LatentCoef * x + x0EpsCoef * eps, i.e. the
   * previous "denoised"; zeros before the first step). Non-zero only for multistep solvers'
   * higher-order steps, so a plan's first step never reads the zeros.
   */
  prevX0Coef: number;
  /** Noise level of this step's input, sqrt((1-alphaBar)/alphaBar). */
  sigma: number;
  /** Cumulative alpha product at this step's timestep. */
  alphaBar: number;
}

/** What the denoiser outputs (diffusers `prediction_type`); see adaptPlanToPrediction. */
export type PredictionType = 'epsilon' | 'v_prediction';

export interface SamplerPlan {
  sampler: SamplerName;
  steps: SamplerStep[];
  /** Initial latents = initNoiseSigma * N(0,1). Euler-type (sigma space): sigma_max (diffusers, 'linspace' spacing); DDIM/LCM: 1. */
  initNoiseSigma: number;
  /**
   * The model output the coefficients expect; absent means 'epsilon'. Set by
   * adaptPlanToPrediction so a plan cannot be adapted twice.
   */
  predictionType?: PredictionType;
}
