// DPM++ 2M plan tests: schedule and coefficients against the published formulas, and a toy run that keeps old_denoised.

import { describe, it, expect } from 'vitest';
import { makeDpmpp2mPlan } from './dpmpp2mPlan';
import { makeEulerPlan } from './eulerPlan';
import { referenceEulerSchedule, toyEpsilon, toyNumbers } from './referenceFormulas.test-support';

const TOLERANCE = 1e-9;
const logTime = (sigma: number): number => -Math.log(sigma);

/**
 * Coefficients of x_next on (x, eps, old_denoised) from the DPM-Solver++(2M) formulas with
 * denoised = x - sigma * eps, in log-time t = -log(sigma) with exponentials (not the plan's
 * sigma ratios). First and last steps are first order (lower_order_final).
 */
function referenceCoefficients(sigmas: number[], i: number): { latent: number; eps: number; prev: number } {
  const sigma = sigmas[i];
  const sigmaNext = sigmas[i + 1];
  if (sigmaNext === 0) return { latent: 1, eps: -sigma, prev: 0 }; // x_next = denoised
  const h = logTime(sigmaNext) - logTime(sigma);
  const decay = Math.exp(-h) - 1;
  if (i === 0) return { latent: sigmaNext / sigma - decay, eps: decay * sigma, prev: 0 };
  const r = (logTime(sigma) - logTime(sigmas[i - 1])) / h;
  const current = 1 + 1 / (2 * r);
  return { latent: sigmaNext / sigma - decay * current, eps: decay * current * sigma, prev: decay / (2 * r) };
}

describe('DPM++ 2M plan', () => {
  for (const numSteps of [4, 20, 37]) {
    it(`matches the reference timesteps, sigmas and coefficients for ${numSteps} steps`, () => {
      const plan = makeDpmpp2mPlan(numSteps);
      const reference = referenceEulerSchedule(numSteps);
      expect(plan.sampler).toBe('dpmpp_2m');
      expect(plan.steps).toHaveLength(numSteps);
      expect(Math.abs(plan.initNoiseSigma - Math.max(...reference.sigmas))).toBeLessThan(TOLERANCE);
      plan.steps.forEach((step, i) => {
        const sigma = reference.sigmas[i];
        const expected = referenceCoefficients(reference.sigmas, i);
        expect(step.index).toBe(i);
        expect(Math.abs(step.timestep - reference.timesteps[i])).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.sigma - sigma)).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.modelInputScale - 1 / Math.sqrt(sigma ** 2 + 1))).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.alphaBar - 1 / (1 + sigma ** 2))).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.latentCoef - expected.latent)).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.epsCoef - expected.eps)).toBeLessThan(TOLERANCE);
        expect(Math.abs(step.prevX0Coef - expected.prev)).toBeLessThan(TOLERANCE);
        expect(step.noiseCoef).toBe(0);
        expect(step.x0LatentCoef).toBe(1);
        expect(Math.abs(step.x0EpsCoef + sigma)).toBeLessThan(TOLERANCE);
      });
      // Only the interior steps are second order; the first never reads the zero prevX0.
      expect(plan.steps[0].prevX0Coef).toBe(0);
      expect(plan.steps[numSteps - 1].prevX0Coef).toBe(0);
      for (let i = 1; i < numSteps - 1; i++) expect(plan.steps[i].prevX0Coef).toBeLessThan(0);
    });
  }

  it('reduces to Euler when every step is first order (1 and 2 steps)', () => {
    for (const numSteps of [1, 2]) {
      const dpm = makeDpmpp2mPlan(numSteps).steps;
      makeEulerPlan(numSteps).steps.forEach((euler, i) => {
        expect(Math.abs(dpm[i].latentCoef - euler.latentCoef)).toBeLessThan(1e-12);
        expect(Math.abs(dpm[i].epsCoef - euler.epsCoef)).toBeLessThan(1e-12);
        expect(dpm[i].prevX0Coef).toBe(0);
      });
    }
  });

  it('applying the coefficients with a carried prevX0 equals k-diffusion sample_dpmpp_2m on a toy problem', () => {
    for (const numSteps of [4, 20]) {
      const plan = makeDpmpp2mPlan(numSteps);
      const reference = referenceEulerSchedule(numSteps);
      const { sigmas } = reference;
      for (const z of toyNumbers(5, 2024 + numSteps)) {
        let viaPlan = plan.initNoiseSigma * z;
        let prevX0 = 0; // zeros before the first step, as the step graph starts
        let textbook = sigmas[0] * z;
        let oldDenoised: number | null = null;
        plan.steps.forEach((step, i) => {
          const eps = toyEpsilon(viaPlan * step.modelInputScale, step.timestep);
          const x0Preview = step.x0LatentCoef * viaPlan + step.x0EpsCoef * eps;
          viaPlan = step.latentCoef * viaPlan + step.epsCoef * eps + step.noiseCoef * 0 + step.prevX0Coef * prevX0;
          prevX0 = x0Preview;

          // k-diffusion sample_dpmpp_2m, verbatim in structure (t_fn = -log sigma; sigma 0 -> t = inf).
          const textbookEps = toyEpsilon(textbook / Math.sqrt(sigmas[i] ** 2 + 1), reference.timesteps[i]);
          const denoised = textbook - sigmas[i] * textbookEps;
          const t = logTime(sigmas[i]);
          const tNext = logTime(sigmas[i + 1]);
          const h = tNext - t;
          if (oldDenoised === null || sigmas[i + 1] === 0) {
            textbook = (sigmas[i + 1] / sigmas[i]) * textbook - Math.expm1(-h) * denoised;
          } else {
            const hLast = t - logTime(sigmas[i - 1]);
            const r = hLast / h;
            const denoisedD = (1 + 1 / (2 * r)) * denoised - (1 / (2 * r)) * oldDenoised;
            textbook = (sigmas[i + 1] / sigmas[i]) * textbook - Math.expm1(-h) * denoisedD;
          }
          oldDenoised = denoised;
          expect(Math.abs(x0Preview - denoised)).toBeLessThan(1e-8);
          expect(Math.abs(viaPlan - textbook)).toBeLessThan(1e-8);
        });
        // The last step returns the final denoised exactly.
        expect(Math.abs(viaPlan - (oldDenoised ?? Number.NaN))).toBeLessThan(1e-8);
      }
    }
  });
});
