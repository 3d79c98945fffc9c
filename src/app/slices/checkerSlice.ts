// The checker panel's state: model choice and install, editable questions, scores of the current image, the loop's rounds.
import { describeError, StudioError } from '../../shared/errors';
import { checkerModel, type CheckerModelId } from '../../checker/checkerModels';
import type { QuestionScore } from '../../checker/checkerTypes';
import { customQuestion, uniqueQuestions, type CheckerQuestion } from '../../checker/questions/checkerQuestion';
import { linkQuestionToPrompt } from '../../checker/questions/linkQuestion';
import { derivePromptQuestions } from '../../checker/questions/promptQuestions';
import { trackQuestions, type TrackId } from '../../checker/questions/trackQuestions';
import { overallScore } from '../../checker/scoreSummary';
import type { AdjustmentId, SettingChange } from '../../checker/loop/adjustments';
import type { LoopStopReason } from '../../checker/loop/feedbackLoop';
import type { CheckerClient, CheckerJob } from '../checkerClient';
import type { CheckerInfo } from '../../shared/checkerProtocol';
import { FEEDBACK_LOOP } from '../../checker/checkerConstants';
import type { GenerationSettings } from '../../shared/settings';
import { createCheckerLoopActions } from './checkerLoopActions';
import type { CurrentImage, GetState, SetState, SliceContext } from './types';

export interface CheckerScoresView {
  /** The image these scores belong to (the current image's object URL when scored). */
  imageUrl: string;
  scores: QuestionScore[];
  overall: number;
  checkerLabel: string;
  ms: number;
  /** Counts scoring runs, so a view (or a test) can tell a fresh result from an identical earlier one. */
  run: number;
}

export interface CheckerRoundView {
  index: number;
  settings: GenerationSettings;
  url: string;
  png: Blob;
  /** Round 0 is the image the loop started from; later rounds carry the engine's result. */
  image: CurrentImage;
  scores: QuestionScore[];
  overall: number;
  changes: SettingChange[];
}

export interface CheckerLoopView {
  running: boolean;
  rounds: CheckerRoundView[];
  bestIndex: number;
  stopReason: LoopStopReason | null;
  acceptedIndex: number | null;
}

export type CheckerPhase = 'idle' | 'checking' | 'installing' | 'loading' | 'scoring' | 'looping';

export interface CheckerSlice {
  checkerOpen: boolean;
  checkerModelId: CheckerModelId;
  checkerPhase: CheckerPhase;
  /** Whether the chosen model's files are all verified in the store (null until asked). */
  checkerInstalled: boolean | null;
  checkerInfo: CheckerInfo | null;
  checkerProgress: { done: number; total: number; label: string; loadedBytes?: number; totalBytes?: number } | null;
  checkerError: string | null;
  checkerQuestions: CheckerQuestion[];
  /** The prompt the questions were derived from, to say when it has changed since. */
  checkerQuestionsPrompt: string | null;
  checkerScores: CheckerScoresView | null;
  checkerLoop: CheckerLoopView;
  loopRounds: number;
  loopAdjustments: AdjustmentId[];
  setCheckerOpen: (open: boolean) => void;
  chooseCheckerModel: (id: CheckerModelId) => Promise<void>;
  installCheckerModel: () => Promise<void>;
  deriveCheckerQuestions: () => void;
  addTrackQuestions: (track: TrackId) => void;
  addCheckerQuestion: (text: string) => void;
  editCheckerQuestion: (id: string, text: string) => void;
  removeCheckerQuestion: (id: string) => void;
  scoreCurrentImage: () => Promise<void>;
  cancelChecker: () => void;
  setLoopRounds: (rounds: number) => void;
  toggleLoopAdjustment: (id: AdjustmentId) => void;
  runCheckerLoop: () => Promise<void>;
  stopCheckerLoop: () => void;
  acceptLoopRound: (index: number) => Promise<void>;
}

/** The checker, told to forget its loaded model when its worker crashes (the fresh worker has none loaded). */
function checkerOf({ services }: SliceContext, set: SetState): CheckerClient {
  const checker = services.checker();
  checker.onCrash = () => set({ checkerInfo: null });
  return checker;
}

/** The model library's hub and mirror setting: checker models download from the same hosts as everything else. */
export const checkerHosts = (get: GetState) => get().hubHosts;

/** Runs one worker job as the panel's active job (so Cancel reaches it); progress lands in the store. */
type ProgressReport = NonNullable<CheckerSlice['checkerProgress']>;

export async function runCheckerJob<T>(
  { jobs }: SliceContext,
  set: SetState,
  start: (onProgress: (p: ProgressReport) => void) => CheckerJob<T>,
): Promise<T> {
  const job = start((p) =>
    set({ checkerProgress: { done: p.done, total: p.total, label: p.label, loadedBytes: p.loadedBytes, totalBytes: p.totalBytes } }),
  );
  jobs.checker = job;
  try {
    return await job.done;
  } finally {
    if (jobs.checker === job) jobs.checker = null;
    set({ checkerProgress: null });
  }
}

/** Loads the chosen checker in the worker unless it is already the loaded one. */
export async function ensureCheckerLoaded(ctx: SliceContext, set: SetState, get: GetState): Promise<CheckerInfo> {
  const { checkerModelId, checkerInfo } = get();
  if (checkerInfo?.modelId === checkerModelId) return checkerInfo;
  set({ checkerPhase: 'loading' });
  const loaded = await runCheckerJob(ctx, set, (onProgress) =>
    checkerOf(ctx, set).load(checkerModelId, checkerHosts(get), get().backendPreference, onProgress),
  );
  set({ checkerInfo: loaded });
  return loaded;
}

/** Scores PNG bytes with the loaded checker, as the panel's active (cancellable) job. */
export async function scorePng(
  ctx: SliceContext,
  set: SetState,
  bytes: Uint8Array,
  questions: string[],
): Promise<{ scores: QuestionScore[]; ms: number }> {
  return runCheckerJob(ctx, set, (onProgress) => checkerOf(ctx, set).score(bytes, questions, onProgress));
}

function reportError(set: SetState, error: unknown): void {
  const e = StudioError.from(error, 'worker');
  if (e.code !== 'cancelled') set({ checkerError: describeError(e) });
}

export function createCheckerSlice(set: SetState, get: GetState, ctx: SliceContext): CheckerSlice {
  const refreshStatus = async () => {
    const model = checkerModel(get().checkerModelId);
    if (!model || model.kind === 'rules') return set({ checkerInstalled: true });
    set({ checkerPhase: 'checking', checkerInstalled: null });
    try {
      const status = await checkerOf(ctx, set).status(model.id, checkerHosts(get), get().backendPreference);
      // A reply for a model the user has since switched away from says nothing about the chosen one.
      if (get().checkerModelId === model.id) set({ checkerInstalled: status.installed });
    } catch (error) {
      reportError(set, error);
    } finally {
      set({ checkerPhase: 'idle' });
    }
  };
  const setQuestions = (questions: CheckerQuestion[]) => set({ checkerQuestions: uniqueQuestions(questions) });

  return {
    checkerOpen: false,
    checkerModelId: 'smolvlm-256m-instruct',
    checkerPhase: 'idle',
    checkerInstalled: null,
    checkerInfo: null,
    checkerProgress: null,
    checkerError: null,
    checkerQuestions: [],
    checkerQuestionsPrompt: null,
    checkerScores: null,
    checkerLoop: { running: false, rounds: [], bestIndex: 0, stopReason: null, acceptedIndex: null },
    loopRounds: FEEDBACK_LOOP.defaultRounds,
    loopAdjustments: ['mask-strength', 'seed', 'emphasis'],

    setCheckerOpen: (open) => {
      set({ checkerOpen: open });
      if (!open) return;
      if (get().checkerQuestions.length === 0) get().deriveCheckerQuestions();
      if (get().checkerInstalled === null) void refreshStatus();
    },
    chooseCheckerModel: async (id) => {
      set({ checkerModelId: id, checkerInstalled: null, checkerError: null, checkerScores: null });
      await refreshStatus();
    },
    installCheckerModel: async () => {
      const model = checkerModel(get().checkerModelId);
      if (!model || get().checkerPhase !== 'idle') return;
      set({ checkerPhase: 'installing', checkerError: null });
      try {
        await runCheckerJob(ctx, set, (onProgress) =>
          checkerOf(ctx, set).install(model.id, checkerHosts(get), get().backendPreference, ctx.services.appBaseUrl, onProgress),
        );
        set({ checkerInstalled: true });
      } catch (error) {
        reportError(set, error);
      } finally {
        set({ checkerPhase: 'idle' });
      }
    },

    deriveCheckerQuestions: () => {
      const prompt = get().settings.prompt;
      setQuestions(derivePromptQuestions(prompt));
      set({ checkerQuestionsPrompt: prompt, checkerScores: null });
    },
    addTrackQuestions: (track) => setQuestions([...get().checkerQuestions, ...trackQuestions(track, get().settings.prompt)]),
    addCheckerQuestion: (text) => {
      if (text.trim()) setQuestions([...get().checkerQuestions, linkQuestionToPrompt(customQuestion(text.trim()), get().settings.prompt)]);
    },
    editCheckerQuestion: (id, text) =>
      set((s) => ({
        checkerQuestions: s.checkerQuestions.map((q) =>
          q.id === id ? linkQuestionToPrompt({ ...q, text, kind: 'custom' }, s.settings.prompt) : q,
        ),
      })),
    removeCheckerQuestion: (id) => set((s) => ({ checkerQuestions: s.checkerQuestions.filter((q) => q.id !== id) })),

    scoreCurrentImage: async () => {
      const current = get().current;
      const questions = get()
        .checkerQuestions.map((q) => q.text.trim())
        .filter(Boolean);
      if (!current || questions.length === 0 || get().checkerPhase !== 'idle') return;
      set({ checkerPhase: 'scoring', checkerError: null });
      try {
        const info = await ensureCheckerLoaded(ctx, set, get);
        set({ checkerPhase: 'scoring' });
        const { scores, ms } = await scorePng(ctx, set, new Uint8Array(await current.png.arrayBuffer()), questions);
        set((s) => ({
          checkerScores: {
            imageUrl: current.url,
            scores,
            overall: overallScore(scores),
            checkerLabel: info.label,
            ms,
            run: (s.checkerScores?.run ?? 0) + 1,
          },
        }));
      } catch (error) {
        reportError(set, error);
      } finally {
        set({ checkerPhase: 'idle' });
      }
    },
    cancelChecker: () => ctx.jobs.checker?.cancel(),

    setLoopRounds: (rounds) => set({ loopRounds: Math.max(1, Math.min(FEEDBACK_LOOP.maxRounds, Math.round(rounds) || 1)) }),
    toggleLoopAdjustment: (id) =>
      set((s) => ({
        loopAdjustments: s.loopAdjustments.includes(id) ? s.loopAdjustments.filter((a) => a !== id) : [...s.loopAdjustments, id],
      })),
    ...createCheckerLoopActions(set, get, ctx),
  };
}
