// Euler plan tests: timesteps, interpolated sigmas and coefficients against independent float64 formulas.

import { describe, it, expect } from 'vitest';
import { eulerTimesteps, makeEulerPlan } from './eulerPlan';
import { referenceAlphasCumprod, referenceEulerSchedule, referenceSigma, toyEpsilon, toyNumbers } from './referenceFormulas.test-support';

const TOLERANCE = 1e-9;
const referenceSigmas = referenceAlphasCumprod().map(referenceSigma);

describe('Euler plan', () => {
  it('uses linspace timesteps from 999 down to 0', () => {
    expect(eulerTimesteps(4)).toEqual([999, 666, 333, 0]);
    expect(eulerTimesteps(1)).toEqual([999]);
  });

  for (const numSteps of [4, 20, 37]) {
    it(`matches the reference timesteps, sigmas and coefficients for ${numSteps} steps`, () => {
      const plan = makeEulerPlan(numSteps);
      const reference = referenceEulerSchedule(numSteps);
      expect(plan.sampler).toBe('euler');
      expect(plan.steps).toHaveLength(numSteps);
      // diffusers init_noise_sigma for 'linspace' spacing is max(sigmas).
      expect(plan.initNoiseSigma).toBeCloseTo(Math.max(...reference.sigmas), 9);
      plan.steps.forEach((step, i) => {
        const sigma = reference.sigmas[i];
        const sigmaNext = reference.sigmas[i + 1];
        expect(step.index).toBe(i);
        expect(Math.abs(step.timestep - reference.timesteps[i])).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.sigma - sigma)).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.modelInputScale - 1 / Math.sqrt(sigma ** 2 + 1))).toBeLessThan(TOLERANCE);
        expect(step.latentCoef).toBe(1);
        expect(Math.abs(step.epsCoef - (sigmaNext - sigma))).toBeLessThan(TOLERANCE);
        expect(step.noiseCoef).toBe(0);
        expect(step.prevX0Coef).toBe(0);
        expect(step.x0LatentCoef).toBe(1);
        expect(Math.abs(step.x0EpsCoef + sigma)).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.alphaBar - 1 / (1 + sigma ** 2))).toBeLessThan(TOLERANCE);
      });
    });
  }

  it('interpolates sigma linearly between integer timesteps', () => {
    // 20 steps: the second timestep is 999 * 18/19 = 946.42..., between table entries 946 and 947.
    const step = makeEulerPlan(20).steps[1];
    const lower = referenceSigmas[946];
    const upper = referenceSigmas[947];
    expect(step.sigma).toBeGreaterThan(lower);
    expect(step.sigma).toBeLessThan(upper);
  });

  it('applying the coefficients equals the textbook Euler update on a toy problem', () => {
    for (const numSteps of [4, 20]) {
      const plan = makeEulerPlan(numSteps);
      const reference = referenceEulerSchedule(numSteps);
      for (const z of toyNumbers(5, 1234 + numSteps)) {
        let viaPlan = plan.initNoiseSigma * z;
        let textbook = reference.sigmas[0] * z;
        plan.steps.forEach((step, i) => {
          const eps = toyEpsilon(viaPlan * step.modelInputScale, step.timestep);
          const x0Preview = step.x0LatentCoef * viaPlan + step.x0EpsCoef * eps;
          viaPlan = step.latentCoef * viaPlan + step.epsCoef * eps + step.noiseCoef * 0;

          const sigma = reference.sigmas[i];
          const textbookEps = toyEpsilon(textbook / Math.sqrt(sigma ** 2 + 1), reference.timesteps[i]);
          const x0 = textbook - sigma * textbookEps;
          const derivative = (textbook - x0) / sigma;
          expect(Math.abs(x0Preview - x0)).toBeLessThan(1e-8);
          textbook = textbook + derivative * (reference.sigmas[i + 1] - sigma);
          expect(Math.abs(viaPlan - textbook)).toBeLessThan(1e-8);
        });
      }
    }
  });
});
