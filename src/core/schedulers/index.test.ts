// makeSamplerPlan tests: dispatch, documented step limits and input validation.

import { describe, it, expect } from 'vitest';
import { isSamplerName, makeSamplerPlan, SAMPLER_STEP_LIMITS } from './index';
import type { SamplerName } from './types';

describe('makeSamplerPlan', () => {
  it('dispatches to each sampler and returns one step per requested step', () => {
    for (const [sampler, numSteps] of [
      ['euler', 20],
      ['euler_a', 20],
      ['dpmpp_2m', 20],
      ['ddim', 4],
      ['lcm', 4],
    ] as const) {
      const plan = makeSamplerPlan(sampler, numSteps);
      expect(plan.sampler).toBe(sampler);
      expect(plan.steps.map((s) => s.index)).toEqual(Array.from({ length: numSteps }, (_, i) => i));
      // Timesteps always descend: every plan moves from noise toward data.
      for (let i = 1; i < numSteps; i++) expect(plan.steps[i].timestep).toBeLessThan(plan.steps[i - 1].timestep);
    }
  });

  it('accepts the documented limits', () => {
    expect(SAMPLER_STEP_LIMITS).toEqual({
      euler: { min: 1, max: 1000 },
      euler_a: { min: 1, max: 1000 },
      dpmpp_2m: { min: 1, max: 1000 },
      ddim: { min: 1, max: 999 },
      lcm: { min: 1, max: 8 },
    });
    expect(makeSamplerPlan('euler', 1000).steps).toHaveLength(1000);
    for (const sampler of ['euler_a', 'dpmpp_2m'] as const) {
      for (const numSteps of [1, 1000]) {
        const plan = makeSamplerPlan(sampler, numSteps);
        expect(plan.steps).toHaveLength(numSteps);
        // Every coefficient stays finite, including the 1000-step plan's near-equal sigmas.
        for (const step of plan.steps) expect(Object.values(step).every(Number.isFinite)).toBe(true);
      }
      expect(() => makeSamplerPlan(sampler, 1001)).toThrow(RangeError);
    }
    expect(makeSamplerPlan('euler', 1).steps).toHaveLength(1);
    expect(makeSamplerPlan('ddim', 1).steps).toHaveLength(1);
    expect(makeSamplerPlan('lcm', 8).steps).toHaveLength(8);
  });

  it('rejects bad step counts with a RangeError that names the sampler and range', () => {
    for (const bad of [0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY, 1001]) {
      expect(() => makeSamplerPlan('euler', bad)).toThrow(RangeError);
    }
    expect(() => makeSamplerPlan('ddim', 1000)).toThrow(/ddim needs an integer step count from 1 to 999/);
    expect(() => makeSamplerPlan('lcm', 9)).toThrow(/lcm needs an integer step count from 1 to 8; got 9/);
    expect(() => makeSamplerPlan('lcm', 0)).toThrow(RangeError);
  });

  it('rejects unknown sampler names', () => {
    expect(() => makeSamplerPlan('heun' as SamplerName, 10)).toThrow(RangeError);
    expect(isSamplerName('euler')).toBe(true);
    expect(isSamplerName('toString')).toBe(false);
    expect(isSamplerName(3)).toBe(false);
  });
});
