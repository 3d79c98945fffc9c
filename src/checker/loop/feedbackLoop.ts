// The "System 2" loop: score, adjust the settings for failed questions, regenerate, keep the best, until all pass or rounds run out.
import type { GenerationSettings } from '../../shared/settings';
import { CHECKER } from '../checkerConstants';
import type { QuestionScore } from '../checkerTypes';
import type { CheckerQuestion } from '../questions/checkerQuestion';
import { failedQuestions, overallScore } from '../scoreSummary';
import type { Adjustment, AdjustmentId, SettingChange } from './adjustments';

export interface LoopRound<TImage> {
  /** 0 is the image the loop started from. */
  index: number;
  settings: GenerationSettings;
  image: TImage;
  scores: QuestionScore[];
  /** Mean P(Yes): a model's estimate. */
  overall: number;
  changes: SettingChange[];
}

export type LoopStopReason = 'all-passed' | 'rounds-done' | 'stopped' | 'nothing-to-change';

export interface LoopOutcome<TImage> {
  rounds: LoopRound<TImage>[];
  bestIndex: number;
  stopReason: LoopStopReason;
}

export interface FeedbackLoopOptions<TImage> {
  start: { settings: GenerationSettings; image: TImage; scores: QuestionScore[] };
  questions: CheckerQuestion[];
  /** Rounds after the start. */
  rounds: number;
  adjustments: Adjustment[];
  capabilities: { maskDiffusion: boolean };
  threshold?: number;
  generate(settings: GenerationSettings, signal?: AbortSignal): Promise<{ image: TImage; settings: GenerationSettings }>;
  score(image: TImage, questions: string[], signal?: AbortSignal): Promise<QuestionScore[]>;
  signal?: AbortSignal;
  /** Called after every round (the start included) with the best round's index so far. */
  onRound?: (round: LoopRound<TImage>, bestIndex: number) => void;
}

const isCancel = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: string }).code === 'cancelled';

/** The best round: highest overall, the earlier one on a tie (no change for nothing). */
export function bestRoundIndex(rounds: readonly { overall: number }[]): number {
  return rounds.reduce((best, r, i) => (r.overall > rounds[best].overall ? i : best), 0);
}

/**
 * Gradient-free steering (checker.md; Dual-Process Image Generation, arXiv 2506.01955): round k asks the
 * adjustments in turn, starting with the k-th, for one change to the best settings so far, so each round
 * changes one thing and its effect can be read off its scores.
 */
export async function runFeedbackLoop<TImage>(options: FeedbackLoopOptions<TImage>): Promise<LoopOutcome<TImage>> {
  const threshold = options.threshold ?? CHECKER.passThreshold;
  const texts = options.questions.map((q) => q.text);
  const start: LoopRound<TImage> = { index: 0, ...options.start, overall: overallScore(options.start.scores), changes: [] };
  const rounds = [start];
  const used = new Map<AdjustmentId, number>();
  options.onRound?.(start, 0);

  for (let k = 1; k <= options.rounds; k++) {
    if (options.signal?.aborted) return { rounds, bestIndex: bestRoundIndex(rounds), stopReason: 'stopped' };
    const best = rounds[bestRoundIndex(rounds)];
    const failed = failedQuestions(options.questions, best.scores, threshold);
    if (failed.length === 0) return { rounds, bestIndex: best.index, stopReason: 'all-passed' };

    const n = options.adjustments.length;
    let proposal: ReturnType<Adjustment['propose']> = null;
    let chosen: Adjustment | undefined;
    for (let j = 0; j < n && !proposal; j++) {
      chosen = options.adjustments[(k - 1 + j) % n];
      proposal = chosen.propose({
        base: best.settings,
        start: start.settings,
        failed,
        timesUsed: used.get(chosen.id) ?? 0,
        capabilities: options.capabilities,
      });
    }
    if (!proposal || !chosen) return { rounds, bestIndex: best.index, stopReason: 'nothing-to-change' };
    used.set(chosen.id, (used.get(chosen.id) ?? 0) + 1);

    try {
      const generated = await options.generate(proposal.settings, options.signal);
      const scores = await options.score(generated.image, texts, options.signal);
      const round: LoopRound<TImage> = {
        index: k,
        settings: generated.settings,
        image: generated.image,
        scores,
        overall: overallScore(scores),
        changes: proposal.changes,
      };
      rounds.push(round);
      options.onRound?.(round, bestRoundIndex(rounds));
    } catch (error) {
      if (isCancel(error) || options.signal?.aborted) return { rounds, bestIndex: bestRoundIndex(rounds), stopReason: 'stopped' };
      throw error;
    }
  }
  const bestIndex = bestRoundIndex(rounds);
  const allPass = failedQuestions(options.questions, rounds[bestIndex].scores, threshold).length === 0;
  return { rounds, bestIndex, stopReason: allPass ? 'all-passed' : 'rounds-done' };
}
