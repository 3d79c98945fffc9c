// LCM plan tests: timesteps, boundary scalings and coefficients against independent float64 formulas.

import { describe, it, expect } from 'vitest';
import { lcmTimesteps, makeLcmPlan } from './lcmPlan';
import { referenceAlphasCumprod, referenceLinspace, referenceSigma, toyEpsilon, toyNumbers } from './referenceFormulas.test-support';

const TOLERANCE = 1e-9;
const alphaBars = referenceAlphasCumprod();

/** diffusers LCMScheduler.set_timesteps with original_inference_steps 50, strength 1. */
function referenceLcmTimesteps(numSteps: number): number[] {
  const origin: number[] = [];
  for (let i = 1; i <= 50; i++) origin.push(i * 20 - 1);
  origin.reverse();
  return referenceLinspace(0, 50, numSteps, false).map((position) => origin[Math.floor(position)]);
}

/** Consistency-model boundary scalings, sigma_data 0.5, timestep_scaling 10. */
function referenceScalings(t: number): { cSkip: number; cOut: number } {
  const scaled = t * 10;
  return { cSkip: 0.25 / (scaled ** 2 + 0.25), cOut: scaled / Math.sqrt(scaled ** 2 + 0.25) };
}

describe('LCM plan', () => {
  it('uses the diffusers LCM timesteps', () => {
    expect(lcmTimesteps(1)).toEqual([999]);
    expect(lcmTimesteps(2)).toEqual([999, 499]);
    expect(lcmTimesteps(4)).toEqual([999, 759, 499, 259]);
    for (let n = 1; n <= 8; n++) expect(lcmTimesteps(n)).toEqual(referenceLcmTimesteps(n));
  });

  for (const numSteps of [1, 4, 8]) {
    it(`matches the reference coefficients for ${numSteps} steps`, () => {
      const plan = makeLcmPlan(numSteps);
      const timesteps = referenceLcmTimesteps(numSteps);
      expect(plan.sampler).toBe('lcm');
      expect(plan.initNoiseSigma).toBe(1);
      expect(plan.steps).toHaveLength(numSteps);
      plan.steps.forEach((step, i) => {
        const t = timesteps[i];
        const ab = alphaBars[t];
        const isLast = i === numSteps - 1;
        const abNext = isLast ? 1 : alphaBars[timesteps[i + 1]];
        const { cSkip, cOut } = referenceScalings(t);
        // denoised = c_out * (x - sqrt(1-ab) eps)/sqrt(ab) + c_skip * x
        const denoisedX = cOut / Math.sqrt(ab) + cSkip;
        const denoisedEps = (-cOut * Math.sqrt(1 - ab)) / Math.sqrt(ab);
        expect(step.timestep).toBe(t);
        expect(step.modelInputScale).toBe(1);
        expect(step.prevX0Coef).toBe(0);
        expect(Math.abs(step.alphaBar - ab)).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.sigma - referenceSigma(ab))).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.x0LatentCoef - denoisedX)).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.x0EpsCoef - denoisedEps)).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.latentCoef - Math.sqrt(abNext) * denoisedX)).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.epsCoef - Math.sqrt(abNext) * denoisedEps)).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.noiseCoef - Math.sqrt(1 - abNext))).toBeLessThan(TOLERANCE);
        if (isLast) expect(step.noiseCoef).toBe(0);
        else expect(step.noiseCoef).toBeGreaterThan(0);
      });
    });
  }

  it('applying the coefficients equals the textbook LCM update on a toy problem', () => {
    for (const numSteps of [1, 4]) {
      const plan = makeLcmPlan(numSteps);
      const timesteps = referenceLcmTimesteps(numSteps);
      const freshNoise = toyNumbers(numSteps, 7 + numSteps);
      for (const z of toyNumbers(5, 31 + numSteps)) {
        let viaPlan = z;
        let textbook = z;
        plan.steps.forEach((step, i) => {
          const eps = toyEpsilon(viaPlan, step.timestep);
          viaPlan = step.latentCoef * viaPlan + step.epsCoef * eps + step.noiseCoef * freshNoise[i];

          const t = timesteps[i];
          const ab = alphaBars[t];
          const textbookEps = toyEpsilon(textbook, t);
          const x0 = (textbook - Math.sqrt(1 - ab) * textbookEps) / Math.sqrt(ab);
          const { cSkip, cOut } = referenceScalings(t);
          const denoised = cOut * x0 + cSkip * textbook;
          if (i === numSteps - 1) {
            textbook = denoised;
          } else {
            const abPrev = alphaBars[timesteps[i + 1]];
            textbook = Math.sqrt(abPrev) * denoised + Math.sqrt(1 - abPrev) * freshNoise[i];
          }
          expect(Math.abs(viaPlan - textbook)).toBeLessThan(1e-8);
        });
      }
    }
  });
});
