// Rewrites a plan's coefficients so the step graph can consume a v-prediction model's raw output instead of eps.

import type { PredictionType, SamplerPlan, SamplerStep } from './types';

/**
 * diffusers' v-prediction convention (DDPMScheduler.get_velocity; Salimans & Ho 2022):
 *   x_t = sqrt(ab) x0 + sqrt(1 - ab) noise,   v = sqrt(ab) noise - sqrt(1 - ab) x0
 * which inverts to
 *   eps = sqrt(ab) * v + sqrt(1 - ab) * x_t.
 * x_t is the denoiser's own input, modelInputScale * x, in every plan: sigma-space samplers
 * (Euler family) scale x by 1/sqrt(sigma^2 + 1) = sqrt(ab), alpha-space ones (DDIM, LCM) by 1.
 * So with s = modelInputScale, any coefficient pair (L on x, E on eps) becomes
 *   L' = L + E * sqrt(1 - ab) * s,   E' = E * sqrt(ab)        (E' now multiplies v)
 * for both the update and the x0 preview. noiseCoef and prevX0Coef are untouched: x0 keeps its
 * value, so the prevX0 the graph carries is the same tensor as in the epsilon plan.
 * Classifier-free guidance commutes with this: at fixed x, eps is affine in v with weights
 * summing to one across the guided mix, so guiding v and then converting equals converting
 * each branch and guiding eps.
 * Expects an epsilon plan (from makeSamplerPlan); throws if given one it has already adapted.
 */
export function adaptPlanToPrediction(plan: SamplerPlan, predictionType: PredictionType): SamplerPlan {
  if (predictionType !== 'epsilon' && predictionType !== 'v_prediction') {
    throw new RangeError(`Unknown prediction type ${JSON.stringify(predictionType)}; expected 'epsilon' or 'v_prediction'.`);
  }
  if ((plan.predictionType ?? 'epsilon') !== 'epsilon') {
    // The input must be an epsilon plan as makeSamplerPlan builds it: folding twice would treat
    // v as eps again, and passing an adapted plan off as epsilon would hide the mismatch.
    throw new Error(`The ${plan.sampler} plan was already adapted to ${plan.predictionType}; adapt the epsilon plan instead.`);
  }
  if (predictionType === 'epsilon') return plan;
  return { ...plan, steps: plan.steps.map(adaptStepToVPrediction), predictionType };
}

function adaptStepToVPrediction(step: SamplerStep): SamplerStep {
  const vWeight = Math.sqrt(step.alphaBar);
  const latentWeight = Math.sqrt(1 - step.alphaBar) * step.modelInputScale;
  return {
    ...step,
    latentCoef: step.latentCoef + step.epsCoef * latentWeight,
    epsCoef: step.epsCoef * vWeight,
    x0LatentCoef: step.x0LatentCoef + step.x0EpsCoef * latentWeight,
    x0EpsCoef: step.x0EpsCoef * vWeight,
  };
}
