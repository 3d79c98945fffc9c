// Noise schedule tests: betas, alpha-bars and sigma range against independent formulas and published values.

import { describe, it, expect } from 'vitest';
import {
  alphaBarFromSigma,
  computeAlphasCumprod,
  scaledLinearBetas,
  SD_NOISE_SCHEDULE,
  sigmaFromAlphaBar,
  trainingSigmas,
} from './noiseSchedule';
import { referenceAlphasCumprod, referenceSigma } from './referenceFormulas.test-support';

describe('Stable Diffusion noise schedule', () => {
  it('has 1000 scaled-linear betas running exactly from beta_start to beta_end', () => {
    const betas = scaledLinearBetas();
    expect(betas.length).toBe(1000);
    expect(betas[0]).toBeCloseTo(0.00085, 15);
    expect(betas[999]).toBeCloseTo(0.012, 15);
    // Scaled-linear: square roots are evenly spaced.
    const rootStep = Math.sqrt(betas[1]) - Math.sqrt(betas[0]);
    for (let t = 1; t < 1000; t++) {
      expect(Math.sqrt(betas[t]) - Math.sqrt(betas[t - 1])).toBeCloseTo(rootStep, 14);
    }
    expect(SD_NOISE_SCHEDULE.numTrainTimesteps).toBe(1000);
  });

  it('matches an independent cumulative product of (1 - beta)', () => {
    const actual = computeAlphasCumprod();
    const expected = referenceAlphasCumprod();
    expect(actual).toBeInstanceOf(Float64Array);
    for (let t = 0; t < 1000; t++) expect(Math.abs(actual[t] - expected[t])).toBeLessThan(1e-12);
  });

  it('reproduces the published SD sigma range (k-diffusion: sigma_min 0.0292, sigma_max 14.6146)', () => {
    const sigmas = trainingSigmas(computeAlphasCumprod());
    expect(sigmas[0]).toBeCloseTo(0.0292, 4);
    expect(sigmas[999]).toBeCloseTo(14.6146, 3);
    for (let t = 1; t < 1000; t++) expect(sigmas[t]).toBeGreaterThan(sigmas[t - 1]);
  });

  it('converts between alpha-bar and sigma both ways', () => {
    for (const alphaBar of [0.999, 0.5, 0.1, 0.0047]) {
      const sigma = sigmaFromAlphaBar(alphaBar);
      expect(sigma).toBeCloseTo(referenceSigma(alphaBar), 14);
      expect(alphaBarFromSigma(sigma)).toBeCloseTo(alphaBar, 14);
    }
  });
});
