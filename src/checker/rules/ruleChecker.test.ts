// The rule checker on synthetic images whose answers are known exactly.
import { describe, expect, it } from 'vitest';
import type { CheckerImage } from '../checkerTypes';
import { parseColourRule } from './colourRegionRules';
import { RuleChecker } from './ruleChecker';

/** A 64x64 image: the left half one colour, the right half another. */
function split(left: [number, number, number], right: [number, number, number], size = 64): CheckerImage {
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) rgba.set([...(x < size / 2 ? left : right), 255], (y * size + x) * 4);
  return { width: size, height: size, rgba };
}

const RED: [number, number, number] = [220, 30, 30];
const BLUE: [number, number, number] = [30, 30, 220];
const GREY: [number, number, number] = [128, 128, 128];
const checker = new RuleChecker();
const p = async (image: CheckerImage, q: string) => (await checker.score(image, [q]))[0];

describe('colour and region rules', () => {
  it('parses comparisons, relations and presence', () => {
    expect(parseColourRule('Is the left half more red than the right half?')).toEqual({
      type: 'compare',
      colour: 'red',
      region: 'left half',
      other: 'right half',
    });
    expect(parseColourRule('Is the red cat to the left of the blue dog?')).toEqual({
      type: 'relation',
      first: 'red',
      second: 'blue',
      axis: 'x',
      firstSmaller: true,
    });
    expect(parseColourRule('Is there a red cat?')).toEqual({ type: 'presence', colour: 'red', region: 'whole image' });
    expect(parseColourRule('Is the top half bright?')).toEqual({ type: 'presence', colour: 'bright', region: 'top half' });
    expect(parseColourRule('Is there a cat?')).toBeNull();
  });

  it('answers yes and no on images where the truth is known', async () => {
    const redLeft = split(RED, BLUE);
    const blueLeft = split(BLUE, RED);
    const q = 'Is the left half more red than the right half?';
    expect((await p(redLeft, q)).pYes).toBeGreaterThan(0.95);
    expect((await p(blueLeft, q)).pYes).toBeLessThan(0.05);
    expect((await p(split(GREY, GREY), q)).pYes).toBeCloseTo(0.5, 6);
    expect((await p(redLeft, 'Is the red cat to the left of the blue dog?')).pYes).toBeGreaterThan(0.9);
    expect((await p(blueLeft, 'Is the red cat to the left of the blue dog?')).pYes).toBeLessThan(0.1);
    expect((await p(split(RED, RED), 'Is there a red cat?')).pYes).toBeGreaterThan(0.9);
    expect((await p(split(BLUE, BLUE), 'Is there a red cat?')).pYes).toBeLessThan(0.1);
  });

  it('says when it cannot read a question, and scores it an even 0.5', async () => {
    const s = await p(split(RED, BLUE), 'Is there a cat?');
    expect(s.pYes).toBe(0.5);
    expect(s.note).toMatch(/names none/);
  });

  it('reports progress and stops when cancelled', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = checker.score(split(RED, BLUE), ['Is it red?', 'Is it blue?', 'Is it green?'], {
      signal: controller.signal,
      onProgress: (pr) => {
        seen.push(pr.done);
        if (pr.done === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen).toEqual([1, 2]);
  });
});
