// DDIM plan tests: timesteps and coefficients against independent float64 diffusers formulas.

import { describe, it, expect } from 'vitest';
import { DDIM_MAX_STEPS, ddimTimesteps, makeDdimPlan } from './ddimPlan';
import { referenceAlphasCumprod, referenceSigma, toyEpsilon, toyNumbers } from './referenceFormulas.test-support';

const TOLERANCE = 1e-9;
const alphaBars = referenceAlphasCumprod();

/** diffusers DDIMScheduler with SD 1.5's config: 'leading', steps_offset 1, set_alpha_to_one false. */
function referenceDdimSchedule(numSteps: number): { timesteps: number[]; alphaBarPrev: number[] } {
  const ratio = Math.floor(1000 / numSteps);
  const timesteps: number[] = [];
  for (let i = 0; i < numSteps; i++) timesteps.push(Math.round(i * ratio) + 1);
  timesteps.reverse();
  const alphaBarPrev = timesteps.map((t) => (t - ratio >= 0 ? alphaBars[t - ratio] : alphaBars[0]));
  return { timesteps, alphaBarPrev };
}

describe('DDIM plan', () => {
  it('uses the familiar leading timesteps', () => {
    expect(ddimTimesteps(4)).toEqual([751, 501, 251, 1]);
    const fifty = ddimTimesteps(50);
    expect(fifty[0]).toBe(981);
    expect(fifty[1]).toBe(961);
    expect(fifty[49]).toBe(1);
    expect(DDIM_MAX_STEPS).toBe(999);
    expect(ddimTimesteps(999)[0]).toBe(999);
  });

  for (const numSteps of [4, 20, 999]) {
    it(`matches the reference coefficients for ${numSteps} steps`, () => {
      const plan = makeDdimPlan(numSteps);
      const reference = referenceDdimSchedule(numSteps);
      expect(plan.sampler).toBe('ddim');
      expect(plan.initNoiseSigma).toBe(1);
      expect(plan.steps).toHaveLength(numSteps);
      plan.steps.forEach((step, i) => {
        const t = reference.timesteps[i];
        const ab = alphaBars[t];
        const abPrev = reference.alphaBarPrev[i];
        expect(step.index).toBe(i);
        expect(step.timestep).toBe(t);
        expect(step.modelInputScale).toBe(1);
        expect(step.noiseCoef).toBe(0);
        expect(step.prevX0Coef).toBe(0);
        expect(Math.abs(step.alphaBar - ab)).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.sigma - referenceSigma(ab))).toBeLessThan(TOLERANCE);
        // x_prev = sqrt(ab_prev) * (x - sqrt(1-ab) eps)/sqrt(ab) + sqrt(1-ab_prev) eps
        expect(Math.abs(step.latentCoef - Math.sqrt(abPrev / ab))).toBeLessThan(TOLERANCE);
        const expectedEps = Math.sqrt(1 - abPrev) - Math.sqrt(abPrev) * Math.sqrt((1 - ab) / ab);
        expect(Math.abs(step.epsCoef - expectedEps)).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.x0LatentCoef - 1 / Math.sqrt(ab))).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.x0EpsCoef + Math.sqrt((1 - ab) / ab))).toBeLessThan(TOLERANCE);
      });
    });
  }

  it('ends on alphas_cumprod[0] (set_alpha_to_one = false)', () => {
    const last = makeDdimPlan(4).steps[3];
    const ab = alphaBars[1];
    expect(Math.abs(last.latentCoef - Math.sqrt(alphaBars[0] / ab))).toBeLessThan(TOLERANCE);
  });

  it('applying the coefficients equals the textbook DDIM update on a toy problem', () => {
    for (const numSteps of [4, 20]) {
      const plan = makeDdimPlan(numSteps);
      const reference = referenceDdimSchedule(numSteps);
      for (const z of toyNumbers(5, 99 + numSteps)) {
        let viaPlan = z;
        let textbook = z;
        plan.steps.forEach((step, i) => {
          const eps = toyEpsilon(viaPlan * step.modelInputScale, step.timestep);
          const x0Preview = step.x0LatentCoef * viaPlan + step.x0EpsCoef * eps;
          viaPlan = step.latentCoef * viaPlan + step.epsCoef * eps;

          const ab = alphaBars[reference.timesteps[i]];
          const abPrev = reference.alphaBarPrev[i];
          const textbookEps = toyEpsilon(textbook, reference.timesteps[i]);
          const x0 = (textbook - Math.sqrt(1 - ab) * textbookEps) / Math.sqrt(ab);
          expect(Math.abs(x0Preview - x0)).toBeLessThan(1e-8);
          textbook = Math.sqrt(abPrev) * x0 + Math.sqrt(1 - abPrev) * textbookEps;
          expect(Math.abs(viaPlan - textbook)).toBeLessThan(1e-8);
        });
      }
    }
  });
});
