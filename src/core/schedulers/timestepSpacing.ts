// Where a sampler's timesteps sit on the 0..999 training range: diffusers' `timestep_spacing` options.
import type { TimestepSpacing } from '../../shared/manifest';
import { SD_NOISE_SCHEDULE } from './noiseSchedule';

export type { TimestepSpacing };

/**
 * SD 1.x/2.x scheduler_config.json value of `steps_offset` (shifts 'leading' timesteps up by one);
 * diffusers applies it only to 'leading' spacing.
 */
export const SD_STEPS_OFFSET = 1;

/**
 * diffusers' set_timesteps (Euler/DDIM schedulers), descending:
 * - 'linspace': np.linspace(0, 999, n)[::-1] (fractional; `round` rounds them, as DDIM does);
 * - 'leading':  (arange(n) * (1000 // n)).round()[::-1] + steps_offset;
 * - 'trailing': np.round(np.arange(1000, 0, -1000 / n)) - 1, so the first step is always t = 999
 *   (SD-Turbo: 2 steps -> 999, 499; 4 steps -> 999, 749, 499, 249).
 * Deliberate deviation kept from the Euler plan: linspace with n = 1 gives [999], not numpy's [0].
 */
export function spacedTimesteps(
  spacing: TimestepSpacing,
  numSteps: number,
  opts: { round?: boolean; stepsOffset?: number } = {},
): number[] {
  const total = SD_NOISE_SCHEDULE.numTrainTimesteps;
  const last = total - 1;
  if (spacing === 'leading') {
    const ratio = Math.floor(total / numSteps);
    return Array.from({ length: numSteps }, (_, i) => (numSteps - 1 - i) * ratio + (opts.stepsOffset ?? SD_STEPS_OFFSET));
  }
  if (spacing === 'trailing') {
    const ratio = total / numSteps;
    // np.round rounds halves to even; total - i * ratio is a multiple of 0.5 at worst only for odd n dividing 2000.
    return Array.from({ length: numSteps }, (_, i) => roundHalfEven(total - i * ratio) - 1);
  }
  if (numSteps === 1) return [last];
  const step = last / (numSteps - 1);
  const linspace = Array.from({ length: numSteps }, (_, i) => (i === 0 ? last : (numSteps - 1 - i) * step));
  return opts.round ? linspace.map(roundHalfEven) : linspace;
}

/** numpy's round: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
