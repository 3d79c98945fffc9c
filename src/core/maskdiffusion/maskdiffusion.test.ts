// MaskDiffusion building blocks: sub-prompts, token spans, mask values, automatic regions, schedule, swap.
import { describe, expect, it } from 'vitest';
import { proposeRegions } from './autoRegions';
import { lambdaAt, MASKDIFFUSION } from './constants';
import { buildCrossMask, buildSelfMask } from './conditionalMasks';
import { swapSubPromptEmbeddings } from './embeddingSwap';
import { boxToMap } from './regions';
import { maskBuildingSteps, stepStrengths } from './schedule';
import { splitSubPrompts } from './subPrompts';
import { subPromptTokenSpans } from './tokenSpans';

describe('splitSubPrompts', () => {
  it('splits on "and", commas and semicolons, keeping character ranges and key words', () => {
    const prompt = 'a red cat and a blue dog, a small green bird';
    const parts = splitSubPrompts(prompt);
    expect(parts.map((p) => p.text)).toEqual(['a red cat', 'a blue dog', 'a small green bird']);
    expect(parts.map((p) => p.keyWord)).toEqual(['cat', 'dog', 'bird']);
    for (const p of parts) expect(prompt.slice(p.start, p.end)).toBe(p.text);
  });

  it('honours explicit grouping with "|" and ignores empty fragments', () => {
    expect(splitSubPrompts('a cat and dog on a mat | a red ball').map((p) => p.text)).toEqual(['a cat and dog on a mat', 'a red ball']);
    expect(splitSubPrompts(' , and ; ')).toEqual([]);
    expect(splitSubPrompts('a sandy beach').map((p) => p.text)).toEqual(['a sandy beach']); // "and" only as a word
  });
});

describe('subPromptTokenSpans', () => {
  // A word-level stand-in tokenizer whose long words split in two, like BPE sub-tokens.
  const tokenizer = {
    tokens: (text: string) =>
      text
        .split(/\s+/)
        .filter(Boolean)
        .flatMap((w) => (w.length > 5 ? [w.slice(0, 3), w.slice(3)] : [w])),
  };

  it('locates each sub-prompt after the start token, with its key word tokens', () => {
    const prompt = 'a red cat and a purple dog';
    const spans = subPromptTokenSpans(tokenizer, prompt, splitSubPrompts(prompt), 77);
    expect(spans).toEqual([
      { start: 1, end: 4, keyTokens: [3] },
      { start: 5, end: 9, keyTokens: [8] },
    ]);
  });

  it('clips spans to the token window', () => {
    const prompt = `${'word '.repeat(80)}and a cat`;
    const [, second] = subPromptTokenSpans(tokenizer, prompt, splitSubPrompts(prompt), 77);
    expect(second.end).toBeLessThanOrEqual(76);
  });
});

describe('mask values', () => {
  it('sets key 1, other sub-prompt tokens 0.2 inside the region, start 0.01 and end 0.2 everywhere, zero for the unconditional entry', () => {
    const pixels = 4;
    const region = new Float32Array([1, 0, 0, 1]);
    const mask = buildCrossMask([{ start: 1, end: 3, keyTokens: [2] }], [region], 5, 6, pixels);
    const cond = (t: number) => Array.from(mask.subarray((6 + t) * pixels, (7 + t) * pixels));
    expect(Array.from(mask.subarray(0, 6 * pixels)).every((v) => v === 0)).toBe(true);
    expect(cond(0)).toEqual(Array(4).fill(MASKDIFFUSION.startTokenValue).map(Math.fround));
    expect(cond(1)).toEqual([0.2, 0, 0, 0.2].map(Math.fround));
    expect(cond(2)).toEqual([1, 0, 0, 1]);
    expect(cond(3)).toEqual([0, 0, 0, 0]);
    expect(cond(4)).toEqual(Array(4).fill(Math.fround(0.2)));
    expect(cond(5)).toEqual(Array(4).fill(Math.fround(0.2)));
  });

  it('self mask holds one region per object for the conditional entry', () => {
    const a = new Float32Array([1, 1, 0, 0]);
    const b = new Float32Array([0, 0, 1, 0]);
    const { data, objects } = buildSelfMask([a, null, b], 4);
    expect(objects).toBe(2);
    expect(Array.from(data)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0]);
  });

  it('boxToMap marks the pixels whose centres are inside', () => {
    expect(Array.from(boxToMap({ x0: 0.5, y0: 0, x1: 1, y1: 0.5 }, 4, 2))).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
  });
});

describe('proposeRegions', () => {
  const w = 10;
  const h = 10;
  const blob = (cx: number, cy: number) =>
    Float32Array.from({ length: w * h }, (_, p) => Math.exp(-(((p % w) - cx) ** 2 + (Math.floor(p / w) - cy) ** 2) / 4));

  it('puts each object over its attention and never overlaps regions', () => {
    const maps = new Float32Array(3 * w * h);
    maps.set(blob(2, 2), 1 * w * h);
    maps.set(blob(7, 7), 2 * w * h);
    const [first, second] = proposeRegions(maps, w, h, [[1], [2]], [null, null]);
    const area = (b: typeof first) => (b.x1 - b.x0) * (b.y1 - b.y0);
    expect(area(first)).toBeCloseTo(MASKDIFFUSION.regionAreaFraction, 1);
    expect(first.x0 <= 0.2 && first.x1 >= 0.3 && first.y0 <= 0.2 && first.y1 >= 0.3).toBe(true);
    expect(second.x0 <= 0.7 && second.x1 >= 0.8 && second.y0 <= 0.7 && second.y1 >= 0.8).toBe(true);
    const overlap =
      Math.max(0, Math.min(first.x1, second.x1) - Math.max(first.x0, second.x0)) *
      Math.max(0, Math.min(first.y1, second.y1) - Math.max(first.y0, second.y0));
    expect(overlap).toBe(0);
  });

  it('keeps user boxes and avoids them for the others', () => {
    const maps = new Float32Array(3 * w * h);
    maps.set(blob(2, 2), w * h);
    maps.set(blob(2, 2), 2 * w * h); // both tokens look at the same corner
    const user = { x0: 0, y0: 0, x1: 0.5, y1: 0.5 };
    const [first, second] = proposeRegions(maps, w, h, [[1], [2]], [user, null]);
    expect(first).toEqual(user);
    expect(second.x0 >= 0.5 || second.y0 >= 0.5).toBe(true);
  });
});

describe('schedule', () => {
  it('lambda_t = (t/1000)^5 times the user strength', () => {
    expect(lambdaAt(1000, 1)).toBe(1);
    expect(lambdaAt(500, 2)).toBeCloseTo(2 / 32, 12);
    expect(lambdaAt(-3, 1)).toBe(0);
  });

  it('suppresses only in the first 15/50 of the steps and switches the reference term', () => {
    expect(stepStrengths(14, 50, 800, 1, 'corrected')).toMatchObject({ suppress: lambdaAt(800, 1), reference: 0 });
    expect(stepStrengths(15, 50, 700, 1, 'reference')).toMatchObject({ suppress: 0, reference: 1, self: 0.3 * lambdaAt(700, 1) });
  });

  it("scales the suppression term alone by the model's tuning", () => {
    const full = stepStrengths(3, 16, 900, 1, 'corrected');
    expect(stepStrengths(3, 16, 900, 1, 'corrected', 0.5)).toEqual({ ...full, suppress: full.suppress / 2 });
    expect(stepStrengths(3, 16, 900, 1, 'corrected', 0).suppress).toBe(0);
  });

  it('builds masks from the first 4/50 of the steps, or from a probe when there are too few', () => {
    expect(maskBuildingSteps(50)).toBe(4);
    expect(maskBuildingSteps(20)).toBe(2);
    expect(maskBuildingSteps(4)).toBe(0);
  });
});

describe('swapSubPromptEmbeddings', () => {
  it('replaces each span with the sub-prompt tokens (after its start token), leaving the rest', () => {
    const hidden = 2;
    const full = Float32Array.from({ length: 6 * hidden }, (_, i) => i);
    const sub = Float32Array.from({ length: 6 * hidden }, (_, i) => 100 + i);
    const out = swapSubPromptEmbeddings(full, [sub], [{ start: 2, end: 4, keyTokens: [3] }], hidden);
    expect(Array.from(out)).toEqual([0, 1, 2, 3, 102, 103, 104, 105, 8, 9, 10, 11]);
  });
});
