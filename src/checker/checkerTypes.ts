// The checker's contract: score(image, questions) -> P(Yes) per question, the same for the VLM and the rule checker.
import type { QuestionScore } from '../shared/checkerProtocol';

export type { AnswerEvidence, QuestionScore } from '../shared/checkerProtocol';

/** An image as the checkers read it: RGBA bytes, row-major, origin top-left. */
export interface CheckerImage {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

export interface ScoreProgress {
  /** Questions answered so far (or files / sessions while a model loads). */
  done: number;
  total: number;
  label: string;
}

export interface ScoreOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ScoreProgress) => void;
}

export interface Checker {
  readonly id: string;
  readonly label: string;
  score(image: CheckerImage, questions: readonly string[], options?: ScoreOptions): Promise<QuestionScore[]>;
  dispose?(): Promise<void>;
}
