// MaskDiffusion's numbers, from the paper (arXiv 2309.04399) and its reference code (SD 1.4, DDIM 50 steps).
export const MASKDIFFUSION = {
  /** lambda_t = (t / 1000)^5 * user strength: fades fast as t falls. */
  lambdaPower: 5,
  /** Suppression of non-mask entries runs for the first 15 of 50 steps. */
  suppressFraction: 15 / 50,
  /** Automatic masks come from the averaged maps of the first 4 of 50 steps. */
  maskStepsFraction: 4 / 50,
  /** Self-attention (DenseDiffusion) term strength relative to lambda_t. */
  selfStrengthFactor: 0.3,
  /** Mask values: the object's key token inside its region, its other tokens, the start token, end/padding tokens. */
  keyTokenValue: 1.0,
  subPromptTokenValue: 0.2,
  startTokenValue: 0.01,
  endTokenValue: 0.2,
  /** Automatic regions: ~20% of the map; competition halves other tokens in a token's top 15% pixels. */
  regionAreaFraction: 0.2,
  competitionTopFraction: 0.15,
  competitionFactor: 0.5,
} as const;

export function lambdaAt(timestep: number, userStrength: number): number {
  return (Math.max(0, timestep) / 1000) ** MASKDIFFUSION.lambdaPower * userStrength;
}
