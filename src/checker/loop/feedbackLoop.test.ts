// The feedback loop end to end in Node: the real tiny diffusion model generates, the rule checker scores, the loop steers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releasePipeline, type LoadedPipeline } from '../../core/pipeline/loadPipeline';
import { generateImage } from '../../core/pipeline/textToImage';
import { loadTinyPipeline, randomModelDir } from '../../core/pipeline/testModel.test-support';
import { withDefaultBlocks, type GenerationSettings } from '../../shared/settings';
import { FEEDBACK_LOOP } from '../checkerConstants';
import type { CheckerImage } from '../checkerTypes';
import { customQuestion } from '../questions/checkerQuestion';
import { linkQuestionToPrompt } from '../questions/linkQuestion';
import { derivePromptQuestions } from '../questions/promptQuestions';
import { RuleChecker } from '../rules/ruleChecker';
import { AVAILABLE_ADJUSTMENTS, seedAdjustment } from './adjustments';
import { runFeedbackLoop } from './feedbackLoop';

const prompt = 'a red cat on the left and a blue dog on the right';
const start: GenerationSettings = withDefaultBlocks({
  prompt,
  negativePrompt: 'blurry, lowres',
  seed: 42,
  steps: 4,
  guidance: 7.5,
  sampler: 'euler',
});
const FAILING = 'Is the left half more red than the right half?';

describe('feedback loop on the random-weights tiny model with the rule checker', () => {
  let p: LoadedPipeline;
  const checker = new RuleChecker();
  const generate = async (settings: GenerationSettings) => {
    const out = await generateImage(p, settings);
    return { image: { width: out.width, height: out.height, rgba: out.rgba } as CheckerImage, settings: out.settings };
  };
  const score = (image: CheckerImage, questions: string[]) => checker.score(image, questions);

  beforeAll(async () => {
    p = await loadTinyPipeline('fp32', undefined, randomModelDir); // the scores pinned below are the random model's
  });
  afterAll(() => releasePipeline(p));

  it('a failing question raises MaskDiffusion strength, and a later round scores higher; the best round is kept', async () => {
    const questions = [...derivePromptQuestions(prompt), linkQuestionToPrompt(customQuestion(FAILING), prompt)];
    const first = await generate(start);
    const scores = await score(
      first.image,
      questions.map((q) => q.text),
    );
    const failingBefore = scores.find((s) => s.question === FAILING)!.pYes;
    expect(failingBefore).toBeLessThan(0.5); // the precondition: this question fails on the starting image

    const outcome = await runFeedbackLoop({
      start: { settings: start, image: first.image, scores },
      questions,
      rounds: 2,
      adjustments: AVAILABLE_ADJUSTMENTS,
      capabilities: { maskDiffusion: true },
      generate,
      score,
    });
    const [r0, r1, r2] = outcome.rounds;
    console.log(
      outcome.rounds
        .map(
          (r) =>
            `round ${r.index}: overall ${r.overall.toFixed(4)}, "${FAILING}" ${r.scores.find((s) => s.question === FAILING)!.pYes.toFixed(4)}; ${r.changes.map((c) => `${c.what} ${c.from} -> ${c.to}`).join('; ')}`,
        )
        .join('\n'),
    );

    expect(r1.changes).toMatchObject([{ adjustment: 'mask-strength', from: 'off', to: FEEDBACK_LOOP.maskStrengthStart.toFixed(1) }]);
    expect(r1.settings.maskDiffusion).toMatchObject({ enabled: true, strength: FEEDBACK_LOOP.maskStrengthStart });
    expect(r1.scores.find((s) => s.question === FAILING)!.pYes).toBeGreaterThan(failingBefore);
    expect(r1.overall).toBeGreaterThan(r0.overall);

    // Round 2 starts from the best (round 1) and tries the next adjustment: a new seed, strength kept.
    expect(r2.changes[0]).toMatchObject({ adjustment: 'seed', from: '42', to: String(42 + FEEDBACK_LOOP.seedStride) });
    expect(r2.settings.maskDiffusion?.strength).toBe(FEEDBACK_LOOP.maskStrengthStart);
    // The seed this round tried is worse on the tiny model; the loop keeps round 1 as the best.
    expect(r2.overall).toBeLessThan(r1.overall);
    expect(outcome.bestIndex).toBe(1);
    expect(outcome.stopReason).toBe('rounds-done');
  });

  it('stops when every question passes, when nothing can change, and when stopped', async () => {
    const first = await generate(start);
    const passing = [customQuestion('Is the red cat to the left of the blue dog?')];
    const base = {
      start: { settings: start, image: first.image, scores: [{ question: passing[0].text, pYes: 0.9 }] },
      questions: passing,
      rounds: 3,
      capabilities: { maskDiffusion: false },
      generate,
      score,
    };
    expect((await runFeedbackLoop({ ...base, adjustments: AVAILABLE_ADJUSTMENTS })).stopReason).toBe('all-passed');

    const failing = { ...base, start: { ...base.start, scores: [{ question: passing[0].text, pYes: 0.1 }] } };
    // MaskDiffusion is unavailable and the question concerns no object: no adjustment applies.
    expect((await runFeedbackLoop({ ...failing, adjustments: AVAILABLE_ADJUSTMENTS.filter((a) => a !== seedAdjustment) })).stopReason).toBe(
      'nothing-to-change',
    );

    const controller = new AbortController();
    const stopped = await runFeedbackLoop({
      ...failing,
      adjustments: [seedAdjustment],
      signal: controller.signal,
      onRound: (r) => r.index === 1 && controller.abort(),
    });
    expect(stopped.stopReason).toBe('stopped');
    expect(stopped.rounds.map((r) => r.settings.seed)).toEqual([42, 42 + FEEDBACK_LOOP.seedStride]);
  });
});

describe('emphasis adjustment', () => {
  it("raises the weight of the failed questions' words, in the prompt's own syntax, and the engine generates it", async () => {
    const { emphasisAdjustment } = await import('./adjustments');
    const questions = derivePromptQuestions(prompt);
    const red = questions.find((q) => q.text === 'Is the cat red?')!;
    const whole = questions.find((q) => q.kind === 'whole')!;
    const failed = [red, whole].map((question) => ({ question, score: { question: question.text, pYes: 0.2 } }));
    const ctx = { base: start, start, failed, timesUsed: 0, capabilities: { maskDiffusion: true } };
    const first = emphasisAdjustment.propose(ctx)!;
    expect(first.settings.prompt).toBe('a (red:1.1) (cat:1.1) on the left and a blue dog on the right');
    expect(first.changes.map((c) => `${c.what} ${c.from} -> ${c.to}`)).toEqual([
      'weight of "red" 1.00 -> 1.10',
      'weight of "cat" 1.00 -> 1.10',
    ]);
    const second = emphasisAdjustment.propose({ ...ctx, base: first.settings })!;
    expect(second.settings.prompt).toBe('a (red:1.21) (cat:1.21) on the left and a blue dog on the right');
    const compel = emphasisAdjustment.propose({
      ...ctx,
      base: { ...start, prompt: 'a red+ cat, a blue dog', emphasis: { mode: 'embeddingScaling', syntax: 'compel' } },
    })!;
    expect(compel.settings.prompt).toBe('a (red)1.21 (cat)1.1, a blue dog'); // Compel's own weight syntax, red+ (1.1) raised once more

    const p2 = await loadTinyPipeline();
    try {
      const plain = await generateImage(p2, start);
      const emphasised = await generateImage(p2, first.settings);
      expect(emphasised.settings.prompt).toBe(first.settings.prompt);
      expect(Buffer.from(emphasised.rgba).equals(Buffer.from(plain.rgba))).toBe(false); // the weights reach the image
    } finally {
      await releasePipeline(p2);
    }
  });
});
