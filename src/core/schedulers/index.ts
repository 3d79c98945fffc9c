// Entry point for sampler plans: validates the step count and dispatches to the per-sampler plan builder.

import { DDIM_MAX_STEPS, makeDdimPlan } from './ddimPlan';
import { makeDpmpp2mPlan } from './dpmpp2mPlan';
import { makeEulerAncestralPlan } from './eulerAncestralPlan';
import { makeEulerPlan } from './eulerPlan';
import { LCM_CONFIG, makeLcmPlan } from './lcmPlan';
import { SD_NOISE_SCHEDULE } from './noiseSchedule';
import type { TimestepSpacing } from './timestepSpacing';
import type { SamplerName, SamplerPlan } from './types';

export type { PredictionType, SamplerName, SamplerPlan, SamplerStep } from './types';
export { adaptPlanToPrediction } from './predictionType';
export { spacedTimesteps, type TimestepSpacing } from './timestepSpacing';
export { SD_NOISE_SCHEDULE, computeAlphasCumprod, sigmaFromAlphaBar, alphaBarFromSigma } from './noiseSchedule';

/** Inclusive step-count range per sampler; the reasons live beside each limit's definition. */
export const SAMPLER_STEP_LIMITS: Record<SamplerName, { min: number; max: number }> = {
  euler: { min: 1, max: SD_NOISE_SCHEDULE.numTrainTimesteps },
  // Same sigma schedule as Euler, so the same range: one step per training timestep at most.
  euler_a: { min: 1, max: SD_NOISE_SCHEDULE.numTrainTimesteps },
  dpmpp_2m: { min: 1, max: SD_NOISE_SCHEDULE.numTrainTimesteps },
  ddim: { min: 1, max: DDIM_MAX_STEPS },
  lcm: { min: 1, max: LCM_CONFIG.maxSteps },
};

/** LCM ignores the spacing: its timesteps come from its 50-step distillation schedule. */
const PLAN_BUILDERS: Record<SamplerName, (numSteps: number, spacing?: TimestepSpacing) => SamplerPlan> = {
  euler: makeEulerPlan,
  euler_a: makeEulerAncestralPlan,
  dpmpp_2m: makeDpmpp2mPlan,
  ddim: makeDdimPlan,
  lcm: (numSteps) => makeLcmPlan(numSteps),
};

export function isSamplerName(value: unknown): value is SamplerName {
  return typeof value === 'string' && Object.hasOwn(PLAN_BUILDERS, value);
}

/**
 * Builds the full step plan; throws RangeError for an unknown sampler or an out-of-range step count.
 * `spacing` is the model's timestep spacing (manifest or shipped scheduler_config.json); without it each
 * sampler keeps its diffusers default (Euler family 'linspace', DDIM 'leading').
 */
export function makeSamplerPlan(sampler: SamplerName, numSteps: number, spacing?: TimestepSpacing): SamplerPlan {
  if (!isSamplerName(sampler)) {
    throw new RangeError(`Unknown sampler ${JSON.stringify(sampler)}; expected one of ${Object.keys(PLAN_BUILDERS).join(', ')}.`);
  }
  const { min, max } = SAMPLER_STEP_LIMITS[sampler];
  if (!Number.isInteger(numSteps) || numSteps < min || numSteps > max) {
    throw new RangeError(`${sampler} needs an integer step count from ${min} to ${max}; got ${numSteps}.`);
  }
  return PLAN_BUILDERS[sampler](numSteps, spacing);
}
