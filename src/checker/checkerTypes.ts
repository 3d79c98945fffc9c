// The checker's contract: score(image, questions) -> P(Yes) per question, the same for the VLM and the rule checker.

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

/** How a VLM's answer was read: the next-token logits of the two answer tokens, so anyone can recompute P(Yes). */
export interface AnswerEvidence {
  yesTokenId: number;
  noTokenId: number;
  logitYes: number;
  logitNo: number;
}

export interface QuestionScore {
  question: string;
  /** P(Yes) / (P(Yes) + P(No)): a model's estimate, not a measurement. */
  pYes: number;
  evidence?: AnswerEvidence;
  /** Why a checker could not really answer (e.g. the rules do not understand the question). */
  note?: string;
}

export interface Checker {
  readonly id: string;
  readonly label: string;
  score(image: CheckerImage, questions: readonly string[], options?: ScoreOptions): Promise<QuestionScore[]>;
  dispose?(): Promise<void>;
}
