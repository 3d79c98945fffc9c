// Timestep spacing as diffusers places it; SD-Turbo's 'trailing' spacing is what makes 2 and 4 steps real steps.
import { describe, expect, it } from 'vitest';
import { makeSamplerPlan } from './index';
import { spacedTimesteps } from './timestepSpacing';

describe('spacedTimesteps', () => {
  it('trailing: SD-Turbo at 2 steps uses t = 999, 499 and at 4 steps 999, 749, 499, 249', () => {
    expect(spacedTimesteps('trailing', 2)).toEqual([999, 499]);
    expect(spacedTimesteps('trailing', 4)).toEqual([999, 749, 499, 249]);
    expect(spacedTimesteps('trailing', 1)).toEqual([999]);
    // diffusers: np.round(np.arange(1000, 0, -1000 / 3)) - 1 = [999, 666, 332]
    expect(spacedTimesteps('trailing', 3)).toEqual([999, 666, 332]);
  });

  it('leading: 1000 // n apart plus steps_offset (SD 1.5 DDIM: 4 steps -> 751, 501, 251, 1)', () => {
    expect(spacedTimesteps('leading', 4)).toEqual([751, 501, 251, 1]);
  });

  it('linspace: from 999 down to 0 (rounded for integer schedulers)', () => {
    expect(spacedTimesteps('linspace', 4)).toEqual([999, 666, 333, 0]);
    expect(spacedTimesteps('linspace', 3, { round: true })).toEqual([999, 500, 0]);
  });
});

describe('sampler plans with a model spacing', () => {
  it('Euler with trailing spacing (SD-Turbo) feeds the UNet t = 999, 499 at 2 steps and 999, 749, 499, 249 at 4', () => {
    expect(makeSamplerPlan('euler', 2, 'trailing').steps.map((s) => s.timestep)).toEqual([999, 499]);
    expect(makeSamplerPlan('euler', 4, 'trailing').steps.map((s) => s.timestep)).toEqual([999, 749, 499, 249]);
    // Without a spacing the Euler default stays 'linspace': 2 steps end at t = 0 (the bug SD-Turbo hit).
    expect(makeSamplerPlan('euler', 2).steps.map((s) => s.timestep)).toEqual([999, 0]);
  });

  it('trailing keeps the sigma schedule consistent: every step lowers sigma and the last goes to 0', () => {
    const plan = makeSamplerPlan('euler', 4, 'trailing');
    const sigmas = plan.steps.map((s) => s.sigma);
    sigmas.forEach((sigma, i) => i > 0 && expect(sigma).toBeLessThan(sigmas[i - 1]));
    expect(plan.initNoiseSigma).toBe(sigmas[0]);
    // The last step moves to sigma 0: x_next = x + (0 - sigma) * eps.
    expect(plan.steps[3].epsCoef).toBeCloseTo(-sigmas[3], 12);
  });

  it('DDIM and the other sigma-space samplers follow the spacing too; LCM keeps its own schedule', () => {
    expect(makeSamplerPlan('ddim', 2, 'trailing').steps.map((s) => s.timestep)).toEqual([999, 499]);
    expect(makeSamplerPlan('euler_a', 2, 'trailing').steps.map((s) => s.timestep)).toEqual([999, 499]);
    expect(makeSamplerPlan('dpmpp_2m', 2, 'trailing').steps.map((s) => s.timestep)).toEqual([999, 499]);
    expect(makeSamplerPlan('lcm', 2, 'trailing').steps.map((s) => s.timestep)).toEqual(
      makeSamplerPlan('lcm', 2).steps.map((s) => s.timestep),
    );
  });
});
