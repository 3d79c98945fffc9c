// Numbers that define the checker's and the feedback loop's behaviour, in one place.
import { SETTINGS_LIMITS } from '../shared/settings';

export const CHECKER = {
  /**
   * A question passes when P(Yes) is above this: the model finds "Yes" likelier than "No"
   * (VQAScore / TIFA read the same probability; 0.5 is the even-odds point).
   */
  passThreshold: 0.5,
  /** Appended to every question, as checker.md and Dual-Process Image Generation (arXiv 2506.01955) prompt it. */
  answerInstruction: 'Answer with Yes or No.',
  /** The answer words whose next-token logits are compared; tokenised with their leading space after "Assistant:". */
  yesAnswer: ' Yes',
  noAnswer: ' No',
  /** Questions one track template adds, at most (long prompts would otherwise make dozens). */
  maxTrackQuestions: 8,
} as const;

export const FEEDBACK_LOOP = {
  /** Rounds after the starting image; each costs one generation and one scoring pass. */
  defaultRounds: 3,
  maxRounds: 8,
  /** MaskDiffusion strength added per round when a failed question concerns an object; capped below. */
  maskStrengthStep: 0.5,
  /** The strength slider's own top, below the validator's limit: the loop goes no further than a user could. */
  maskStrengthCap: SETTINGS_LIMITS.maskStrength.sliderMax,
  /** Strength used when the loop switches MaskDiffusion on (the paper's lambda scale of 1, plus one step). */
  maskStrengthStart: 1.5,
  /**
   * Best-of-N seeds step from the starting seed by a large odd stride, so candidates are distinct,
   * reproducible and do not collide with the +1 seeds people try by hand.
   */
  seedStride: 7919,
  /** Emphasis multiplies a failed word's weight by one A1111 bracket level, (word) = 1.1, per round... */
  emphasisStep: 1.1,
  /** ...up to 1.5, about where A1111 users report weights start to distort the image. */
  emphasisCap: 1.5,
} as const;
