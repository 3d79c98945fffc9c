// The checker panel's feedback-loop actions: run rounds through the engine and the checker worker, stop, accept a round.
import { describeError, StudioError } from '../../shared/errors';
import type { GenerationSettings } from '../../shared/settings';
import { AVAILABLE_ADJUSTMENTS } from '../../checker/loop/adjustments';
import { runFeedbackLoop, type LoopRound } from '../../checker/loop/feedbackLoop';
import { overallScore } from '../../checker/scoreSummary';
import { ensureCheckerLoaded, scorePng, type CheckerRoundView, type CheckerSlice } from './checkerSlice';
import { currentFromResult } from './generationSlice';
import type { CurrentImage, GetState, SetState, SliceContext } from './types';

interface RoundImage {
  current: CurrentImage;
  bytes: Uint8Array;
}

async function generateRound(
  { services }: SliceContext,
  set: SetState,
  settings: GenerationSettings,
  signal?: AbortSignal,
): Promise<{ image: RoundImage; settings: GenerationSettings }> {
  const requested = performance.now();
  const job = services.engine.generate(settings, (p) => {
    if (p.type === 'progress') set({ progress: { phase: p.phase, step: p.step, totalSteps: p.totalSteps } });
  });
  const stop = () => job.cancel();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const result = await job.done;
    return { image: { current: currentFromResult(result, performance.now() - requested), bytes: result.png }, settings: result.settings };
  } finally {
    signal?.removeEventListener('abort', stop);
    set({ progress: null });
  }
}

/** Each round shows its own object URL, so replacing the current image (which revokes its URL) never blanks a round. */
function roundView(round: LoopRound<RoundImage>): CheckerRoundView {
  const { current } = round.image;
  return {
    index: round.index,
    settings: round.settings,
    url: URL.createObjectURL(current.png),
    png: current.png,
    image: current,
    scores: round.scores,
    overall: round.overall,
    changes: round.changes,
  };
}

function releaseRounds(rounds: CheckerRoundView[], keep: CurrentImage | null): void {
  for (const r of rounds) {
    URL.revokeObjectURL(r.url);
    if (r.index > 0 && r.image !== keep) URL.revokeObjectURL(r.image.url);
  }
}

export function createCheckerLoopActions(
  set: SetState,
  get: GetState,
  ctx: SliceContext,
): Pick<CheckerSlice, 'runCheckerLoop' | 'stopCheckerLoop' | 'acceptLoopRound'> {
  return {
    runCheckerLoop: async () => {
      const current = get().current;
      const questions = get().checkerQuestions.filter((q) => q.text.trim());
      if (!current || questions.length === 0 || get().running || get().checkerPhase !== 'idle') return;
      releaseRounds(get().checkerLoop.rounds, get().current);
      const controller = new AbortController();
      ctx.jobs.checkerLoop = controller;
      set({
        running: true,
        checkerPhase: 'looping',
        checkerError: null,
        checkerLoop: { running: true, rounds: [], bestIndex: 0, stopReason: null, acceptedIndex: null },
      });
      try {
        await ensureCheckerLoaded(ctx, set, get);
        set({ checkerPhase: 'looping' });
        const texts = questions.map((q) => q.text);
        const startBytes = new Uint8Array(await current.png.arrayBuffer());
        const existing = get().checkerScores;
        const sameQuestions = existing?.imageUrl === current.url && existing.scores.map((s) => s.question).join('\n') === texts.join('\n');
        const startScores = sameQuestions && existing ? existing.scores : (await scorePng(ctx, set, startBytes, texts)).scores;
        if (!sameQuestions) {
          set((s) => ({
            checkerScores: {
              imageUrl: current.url,
              scores: startScores,
              overall: overallScore(startScores),
              checkerLabel: s.checkerInfo?.label ?? '',
              ms: 0,
              run: (s.checkerScores?.run ?? 0) + 1,
            },
          }));
        }

        const outcome = await runFeedbackLoop<RoundImage>({
          start: { settings: current.settings, image: { current, bytes: startBytes }, scores: startScores },
          questions,
          rounds: get().loopRounds,
          adjustments: AVAILABLE_ADJUSTMENTS.filter((a) => get().loopAdjustments.includes(a.id)),
          capabilities: { maskDiffusion: Boolean(get().model?.attentionControl.available) },
          generate: (settings, signal) => generateRound(ctx, set, settings, signal),
          score: async (image, texts, signal) => {
            const stop = () => ctx.jobs.checker?.cancel();
            signal?.addEventListener('abort', stop, { once: true });
            try {
              return (await scorePng(ctx, set, image.bytes, texts)).scores;
            } finally {
              signal?.removeEventListener('abort', stop);
            }
          },
          signal: controller.signal,
          onRound: (round, bestIndex) =>
            set((s) => ({ checkerLoop: { ...s.checkerLoop, rounds: [...s.checkerLoop.rounds, roundView(round)], bestIndex } })),
        });
        set((s) => ({ checkerLoop: { ...s.checkerLoop, bestIndex: outcome.bestIndex, stopReason: outcome.stopReason } }));
      } catch (error) {
        const e = StudioError.from(error, 'worker');
        set((s) => ({
          checkerError: e.code === 'cancelled' ? null : describeError(e),
          checkerLoop: { ...s.checkerLoop, stopReason: 'stopped' },
        }));
      } finally {
        if (ctx.jobs.checkerLoop === controller) ctx.jobs.checkerLoop = null;
        set((s) => ({ running: false, progress: null, checkerPhase: 'idle', checkerLoop: { ...s.checkerLoop, running: false } }));
      }
    },

    stopCheckerLoop: () => ctx.jobs.checkerLoop?.abort(),

    acceptLoopRound: async (index) => {
      const round = get().checkerLoop.rounds.find((r) => r.index === index);
      if (!round || get().running) return;
      set((s) => ({ current: round.image, checkerLoop: { ...s.checkerLoop, acceptedIndex: index } }));
      get().updateSettings(round.settings);
      if (index === 0) return; // the starting image is already in the gallery
      try {
        await ctx.services.gallery.save({
          id: `${Date.now()}-${round.settings.seed}-checker-round-${index}`,
          createdAt: Date.now(),
          settings: round.settings,
          modelName: get().model?.name ?? 'unknown',
          backend: get().backend?.ep ?? 'wasm',
          width: round.image.width,
          height: round.image.height,
          png: round.png,
        });
        await get().loadGallery();
      } catch (error) {
        set({ checkerError: describeError(StudioError.from(error, 'gallery')) });
      }
    },
  };
}
