// When masks exist and how strong each MaskDiffusion term is at a given step.
import type { MaskVariant } from '../../shared/settings';
import { lambdaAt, MASKDIFFUSION as MD } from './constants';

export interface StepStrengths {
  cross: number;
  suppress: number;
  reference: number;
  self: number;
}

export const NO_MODULATION: StepStrengths = { cross: 0, suppress: 0, reference: 0, self: 0 };

/** Steps whose attention maps build the automatic masks; 0 means "too few steps: use a probe pass". */
export function maskBuildingSteps(totalSteps: number): number {
  return Math.round(totalSteps * MD.maskStepsFraction);
}

export function stepStrengths(
  stepIndex: number,
  totalSteps: number,
  timestep: number,
  userStrength: number,
  variant: MaskVariant,
  /** The model's scale on the suppression term (manifest maskDiffusion.suppression). */
  suppression = 1,
): StepStrengths {
  const lambda = lambdaAt(timestep, userStrength);
  const early = stepIndex < Math.ceil(totalSteps * MD.suppressFraction);
  return {
    cross: lambda,
    suppress: early ? lambda * suppression : 0,
    reference: variant === 'reference' ? 1 : 0,
    self: MD.selfStrengthFactor * lambda,
  };
}
