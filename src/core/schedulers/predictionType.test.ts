// Prediction-type adapter tests: v-prediction coefficients reproduce the epsilon plan fed the true eps, for every sampler.

import { describe, it, expect } from 'vitest';
import { adaptPlanToPrediction, makeSamplerPlan } from './index';
import { toyNumbers } from './referenceFormulas.test-support';
import type { SamplerName, SamplerStep } from './types';

const CASES: [SamplerName, number][] = [
  ['euler', 20],
  ['euler_a', 20],
  ['dpmpp_2m', 20],
  ['dpmpp_2m', 3],
  ['ddim', 20],
  ['lcm', 4],
];

/** The step graph's two outputs for one step, given whatever the plan's coefficients multiply. */
function applyStep(step: SamplerStep, x: number, modelOutput: number, freshNoise: number, prevX0: number): { next: number; x0: number } {
  return {
    next: step.latentCoef * x + step.epsCoef * modelOutput + step.noiseCoef * freshNoise + step.prevX0Coef * prevX0,
    x0: step.x0LatentCoef * x + step.x0EpsCoef * modelOutput,
  };
}

describe('adaptPlanToPrediction', () => {
  it('returns the epsilon plan itself', () => {
    const plan = makeSamplerPlan('dpmpp_2m', 10);
    expect(adaptPlanToPrediction(plan, 'epsilon')).toBe(plan);
  });

  for (const [sampler, numSteps] of CASES) {
    it(`${sampler} (${numSteps} steps): v coefficients give the epsilon plan's x_next and x0 for a known (x0, noise)`, () => {
      const plan = makeSamplerPlan(sampler, numSteps);
      const adapted = adaptPlanToPrediction(plan, 'v_prediction');
      expect(adapted.predictionType).toBe('v_prediction');
      expect(adapted.initNoiseSigma).toBe(plan.initNoiseSigma);
      const draws = toyNumbers(4 * numSteps, 77 + numSteps);
      plan.steps.forEach((step, i) => {
        const [cleanTrue, noise, freshNoise, prevX0] = draws.slice(4 * i, 4 * i + 4).map((u) => 2 * u);
        const ab = step.alphaBar;
        // diffusers add_noise / get_velocity, then into the plan's latent space (x_t = modelInputScale * x).
        const xT = Math.sqrt(ab) * cleanTrue + Math.sqrt(1 - ab) * noise;
        const v = Math.sqrt(ab) * noise - Math.sqrt(1 - ab) * cleanTrue;
        const x = xT / step.modelInputScale;

        const viaEps = applyStep(step, x, noise, freshNoise, prevX0);
        const viaV = applyStep(adapted.steps[i], x, v, freshNoise, prevX0);
        expect(Math.abs(viaV.next - viaEps.next)).toBeLessThan(1e-9);
        expect(Math.abs(viaV.x0 - viaEps.x0)).toBeLessThan(1e-9);
        // LCM's preview is the boundary-condition "denoised", not x0 itself; every other plan's x0 is exact.
        if (sampler !== 'lcm') expect(Math.abs(viaV.x0 - cleanTrue)).toBeLessThan(1e-9);
        expect(adapted.steps[i].noiseCoef).toBe(step.noiseCoef);
        expect(adapted.steps[i].prevX0Coef).toBe(step.prevX0Coef);
        expect(adapted.steps[i].modelInputScale).toBe(step.modelInputScale);
      });
    });
  }

  it("matches diffusers' own v-prediction x0 formulas (EulerDiscreteScheduler and DDIMScheduler)", () => {
    const [x, v] = [0.7, -1.3];
    for (const step of adaptPlanToPrediction(makeSamplerPlan('euler', 10), 'v_prediction').steps) {
      // pred_original_sample = model_output * (-sigma / (sigma**2 + 1) ** 0.5) + sample / (sigma**2 + 1)
      const s = step.sigma;
      const expected = v * (-s / Math.sqrt(s ** 2 + 1)) + x / (s ** 2 + 1);
      expect(Math.abs(step.x0LatentCoef * x + step.x0EpsCoef * v - expected)).toBeLessThan(1e-9);
    }
    for (const step of adaptPlanToPrediction(makeSamplerPlan('ddim', 10), 'v_prediction').steps) {
      // pred_original_sample = alpha_prod_t**0.5 * sample - beta_prod_t**0.5 * model_output
      const expected = Math.sqrt(step.alphaBar) * x - Math.sqrt(1 - step.alphaBar) * v;
      expect(Math.abs(step.x0LatentCoef * x + step.x0EpsCoef * v - expected)).toBeLessThan(1e-9);
    }
  });

  it('leaves the input plan untouched and refuses to adapt twice or to an unknown type', () => {
    const plan = makeSamplerPlan('euler_a', 8);
    const snapshot = structuredClone(plan);
    const adapted = adaptPlanToPrediction(plan, 'v_prediction');
    expect(plan).toEqual(snapshot);
    expect(plan.predictionType).toBeUndefined();
    expect(() => adaptPlanToPrediction(adapted, 'v_prediction')).toThrow(/already adapted/);
    expect(() => adaptPlanToPrediction(adapted, 'epsilon')).toThrow(/already adapted/);
    expect(() => adaptPlanToPrediction(plan, 'sample' as 'epsilon')).toThrow(RangeError);
  });
});
