// Summaries of one scoring pass: the overall estimate and which questions failed.
import { CHECKER } from './checkerConstants';
import type { QuestionScore } from './checkerTypes';
import type { CheckerQuestion } from './questions/checkerQuestion';

/** The mean P(Yes) over the questions (VQAScore-style); 0 for no questions. Still a model's estimate. */
export function overallScore(scores: readonly QuestionScore[]): number {
  return scores.length ? scores.reduce((sum, s) => sum + s.pYes, 0) / scores.length : 0;
}

export function passes(score: QuestionScore, threshold: number = CHECKER.passThreshold): boolean {
  return score.pYes >= threshold;
}

export interface FailedQuestion {
  question: CheckerQuestion;
  score: QuestionScore;
}

/** Questions whose P(Yes) is under the threshold, paired with their scores (matched by position). */
export function failedQuestions(
  questions: readonly CheckerQuestion[],
  scores: readonly QuestionScore[],
  threshold: number = CHECKER.passThreshold,
): FailedQuestion[] {
  return questions.flatMap((question, i) => (scores[i] && !passes(scores[i], threshold) ? [{ question, score: scores[i] }] : []));
}
