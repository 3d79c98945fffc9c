// Euler ancestral plan tests: schedule, ancestral split and coefficients against independent float64 formulas, plus a toy run.

import { describe, it, expect } from 'vitest';
import { ancestralSplit, makeEulerAncestralPlan } from './eulerAncestralPlan';
import { makeEulerPlan } from './eulerPlan';
import { referenceEulerSchedule, toyEpsilon, toyNumbers } from './referenceFormulas.test-support';

const TOLERANCE = 1e-9;

/** EulerAncestralDiscreteScheduler.step's sigma_up / sigma_down, written out as published. */
function referenceAncestral(sigmaFrom: number, sigmaTo: number): { up: number; down: number } {
  const up = Math.sqrt((sigmaTo ** 2 * (sigmaFrom ** 2 - sigmaTo ** 2)) / sigmaFrom ** 2);
  return { up, down: Math.sqrt(sigmaTo ** 2 - up ** 2) };
}

describe('Euler ancestral plan', () => {
  for (const numSteps of [4, 20, 37]) {
    it(`matches the reference timesteps, sigmas and coefficients for ${numSteps} steps`, () => {
      const plan = makeEulerAncestralPlan(numSteps);
      const reference = referenceEulerSchedule(numSteps);
      expect(plan.sampler).toBe('euler_a');
      expect(plan.steps).toHaveLength(numSteps);
      expect(Math.abs(plan.initNoiseSigma - Math.max(...reference.sigmas))).toBeLessThan(TOLERANCE);
      plan.steps.forEach((step, i) => {
        const sigma = reference.sigmas[i];
        const { up, down } = referenceAncestral(sigma, reference.sigmas[i + 1]);
        expect(step.index).toBe(i);
        expect(Math.abs(step.timestep - reference.timesteps[i])).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.sigma - sigma)).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.modelInputScale - 1 / Math.sqrt(sigma ** 2 + 1))).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.alphaBar - 1 / (1 + sigma ** 2))).toBeLessThan(TOLERANCE);
        expect(step.latentCoef).toBe(1);
        expect(Math.abs(step.epsCoef - (down - sigma))).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.noiseCoef - up)).toBeLessThan(TOLERANCE);
        expect(step.prevX0Coef).toBe(0);
        expect(step.x0LatentCoef).toBe(1);
        expect(Math.abs(step.x0EpsCoef + sigma)).toBeLessThan(TOLERANCE);
      });
      // The last step lands on sigma = 0: nothing to re-noise, so the pipeline draws no noise.
      expect(plan.steps[numSteps - 1].noiseCoef).toBe(0);
      expect(plan.steps[0].noiseCoef).toBeGreaterThan(0);
    });
  }

  it("shares Euler's schedule exactly", () => {
    const ancestral = makeEulerAncestralPlan(20).steps;
    makeEulerPlan(20).steps.forEach((step, i) => {
      expect(ancestral[i].timestep).toBe(step.timestep);
      expect(ancestral[i].sigma).toBe(step.sigma);
      expect(ancestral[i].modelInputScale).toBe(step.modelInputScale);
    });
  });

  it('splits each move into a deterministic part and noise whose variances add up to sigma_next^2', () => {
    for (const [sigma, sigmaNext] of [
      [14.6, 10.2],
      [1, 0.5],
      [0.3, 0.0292],
      [0.0292, 0],
    ]) {
      const { sigmaUp, sigmaDown } = ancestralSplit(sigma, sigmaNext);
      expect(sigmaUp ** 2 + sigmaDown ** 2).toBeCloseTo(sigmaNext ** 2, 12);
      expect(sigmaDown).toBeLessThanOrEqual(sigmaNext);
    }
    expect(ancestralSplit(0.0292, 0)).toEqual({ sigmaUp: 0, sigmaDown: 0 });
  });

  it('applying the coefficients equals the textbook ancestral update on a toy problem', () => {
    for (const numSteps of [4, 20]) {
      const plan = makeEulerAncestralPlan(numSteps);
      const reference = referenceEulerSchedule(numSteps);
      const freshNoise = toyNumbers(numSteps, 555 + numSteps);
      for (const z of toyNumbers(5, 4321 + numSteps)) {
        let viaPlan = plan.initNoiseSigma * z;
        let prevX0 = 0; // what the step graph carries; prevX0Coef is 0 here, but track it as the graph does
        let textbook = reference.sigmas[0] * z;
        plan.steps.forEach((step, i) => {
          const eps = toyEpsilon(viaPlan * step.modelInputScale, step.timestep);
          const x0Preview = step.x0LatentCoef * viaPlan + step.x0EpsCoef * eps;
          viaPlan = step.latentCoef * viaPlan + step.epsCoef * eps + step.noiseCoef * freshNoise[i] + step.prevX0Coef * prevX0;
          prevX0 = x0Preview;

          // diffusers EulerAncestralDiscreteScheduler.step, epsilon prediction.
          const sigma = reference.sigmas[i];
          const textbookEps = toyEpsilon(textbook / Math.sqrt(sigma ** 2 + 1), reference.timesteps[i]);
          const denoised = textbook - sigma * textbookEps;
          const { up, down } = referenceAncestral(sigma, reference.sigmas[i + 1]);
          const derivative = (textbook - denoised) / sigma;
          textbook = textbook + derivative * (down - sigma) + freshNoise[i] * up;
          expect(Math.abs(x0Preview - denoised)).toBeLessThan(1e-8);
          expect(Math.abs(viaPlan - textbook)).toBeLessThan(1e-8);
        });
      }
    }
  });
});
