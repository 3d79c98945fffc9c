// Word chips and setWordWeight: chip ranges and weights, local rewrites in both dialects, and a seeded round-trip property.
import { describe, expect, it } from 'vitest';
import { formatWeight } from './emphasisWriter';
import { promptToChips } from './promptChips';
import type { EmphasisSyntax } from './promptTypes';
import { setWordWeight } from './setWordWeight';

const summary = (prompt: string, syntax: EmphasisSyntax) =>
  promptToChips(prompt, { syntax }).map((c) => [c.text, Number(c.weight.toFixed(6))]);

describe('promptToChips', () => {
  it('lists words with weights and the ranges of their characters', () => {
    const prompt = "a (red cat:1.3), [t-shirt] BREAK 8k AND don't";
    const chips = promptToChips(prompt);
    expect(chips.map((c) => [c.text, Number(c.weight.toFixed(6)), c.prompt])).toEqual([
      ['a', 1, 0],
      ['red', 1.3, 0],
      ['cat', 1.3, 0],
      ['t-shirt', Number((1 / 1.1).toFixed(6)), 0],
      ['8k', 1, 0],
      ["don't", 1, 1],
    ]);
    for (const chip of chips) expect(prompt.slice(chip.start, chip.end)).toBe(chip.text);
  });

  it('flags a word whose characters carry different weights', () => {
    const [chip] = promptToChips('b(lue:2) sky');
    expect(chip).toMatchObject({ text: 'blue', weight: 2, mixed: true, start: 0, end: 5 });
  });

  it('reads Compel prompts, including blend items', () => {
    expect(summary('("a cat++", "dog").blend(1, 1)', 'compel')).toEqual([
      ['a', 1],
      ['cat', 1.21],
      ['dog', 1],
    ]);
  });
});

describe('setWordWeight', () => {
  it.each([
    ['a cat', 1, 1.3, 'a (cat:1.3)'],
    ['a ((cat)), dog', 1, 1.3, 'a (cat:1.3), dog'],
    ['a (cat:1.5)', 1, 1, 'a cat'],
    ['a [cat]', 1, 1, 'a cat'],
    ['(big cat:1.2)', 1, 1.5, '(big (cat:1.25):1.2)'],
    ['(big cat:1.2)', 1, 1.2, '(big cat:1.2)'],
    ['a (cat', 1, 2, 'a (cat:2)'],
    ['bl(ue sky)', 0, 2, '(blue:2) (sky:1.1)'],
    ['x (cat:0) y', 1, 2, 'x (cat:2) y'],
    ['f\\(x\\) cat', 2, 1.5, 'f\\(x\\) (cat:1.5)'],
  ] as const)('A1111: %s, chip %i -> %d gives %s', (prompt, chip, weight, expected) => {
    expect(setWordWeight(prompt, chip, weight, 'a1111')).toBe(expected);
  });

  it.each([
    ['a cat', 1, 1.3, 'a (cat)1.3'],
    ['a cat++ dog', 1, 1.3, 'a (cat)1.3 dog'],
    ['a cat- dog', 1, 1, 'a cat dog'],
    ['(big cat)1.2', 1, 1.5, '(big (cat)1.25)1.2'],
    ['t-shirt', 0, 2, '(t-shirt)2'],
    ['("a cat", "dog").blend(1, 1)', 1, 1.4, '("a (cat)1.4", "dog").blend(1, 1)'],
    ['cat.5', 0, 2, '(cat)2(.5)'],
    ['cat', 0, -1, '(cat)0'],
  ] as const)('Compel: %s, chip %i -> %d gives %s', (prompt, chip, weight, expected) => {
    expect(setWordWeight(prompt, chip, weight, 'compel')).toBe(expected);
  });

  it('uses the detected syntax by default', () => {
    expect(setWordWeight('a cat+, dog', 2, 1.3)).toBe('a cat+, (dog)1.3');
    expect(setWordWeight('a (cat), dog', 2, 1.3)).toBe('a (cat), (dog:1.3)');
  });

  it('returns the prompt unchanged for a missing chip or a non-finite weight', () => {
    expect(setWordWeight('a cat', 5, 2)).toBe('a cat');
    expect(setWordWeight('a cat', 0, Number.NaN)).toBe('a cat');
  });

  it('formats weights with at most 6 decimals and no exponent', () => {
    expect([1.3, 1 / 1.1, 1e-9, -0.5, 2].map(formatWeight)).toEqual(['1.3', '0.909091', '0', '-0.5', '2']);
  });
});

/** mulberry32, so failures reproduce. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('setWordWeight round trip', () => {
  it('chip i of the new prompt has the new weight; every other chip keeps its text and weight', () => {
    const random = seededRandom(99);
    const pieces = [
      '(',
      ')',
      '[',
      ']',
      ':',
      ':1.5)',
      ':0)',
      '+',
      '-',
      '++',
      '.',
      ',',
      '"',
      '\\',
      '\\(',
      ' ',
      ' ',
      ' ',
      '1',
      '2.5',
      ')1.3',
      ')0',
      ' BREAK ',
      ' AND ',
      'cat',
      'dog',
      'red',
      'sky',
      't-shirt',
      'x9',
      'é',
      '.swap(',
      '.attend(',
    ];
    const weights = [1, 0, 1.3, 0.5, 2, 1.1, -0.7];
    const problems: string[] = [];
    let edits = 0;
    for (let n = 0; n < 4000; n++) {
      let prompt = '';
      for (let k = 1 + Math.floor(random() * 14); k > 0; k--) prompt += pieces[Math.floor(random() * pieces.length)];
      for (const syntax of ['a1111', 'compel'] as const) {
        const before = promptToChips(prompt, { syntax });
        if (before.length === 0) continue;
        const index = Math.floor(random() * before.length);
        const weight = random() < 0.8 ? weights[Math.floor(random() * weights.length)] : random() * 3;
        const edited = setWordWeight(prompt, index, weight, syntax);
        const after = promptToChips(edited, { syntax });
        const wanted = (j: number) => (j === index ? (syntax === 'compel' ? Math.max(0, weight) : weight) : before[j].weight);
        const ok =
          after.length === before.length &&
          after.every((c, j) => c.text === before[j].text && Math.abs(c.weight - wanted(j)) <= 1e-5 * Math.max(1, Math.abs(c.weight)));
        if (!ok) problems.push(`${syntax} ${JSON.stringify(prompt)} chip ${index} -> ${weight}: ${JSON.stringify(edited)}`);
        edits++;
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(edits).toBeGreaterThan(5000);
  });
});
