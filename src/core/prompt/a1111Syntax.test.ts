// A1111 syntax: weights of every construct and their nesting, escapes, BREAK, AND, and diagnostics for malformed input.
import { describe, expect, it } from 'vitest';
import { parsePrompt } from './parsePrompt';

/** [text, weight] of each fragment of each chunk of the first sub-prompt. */
function chunks(prompt: string): Array<Array<[string, number]>> {
  return parsePrompt(prompt, { syntax: 'a1111' }).prompts[0].chunks.map((chunk) => chunk.map((f) => [f.text, f.weight]));
}

function expectWeights(prompt: string, expected: Array<[string, number]>) {
  const [only, ...rest] = chunks(prompt);
  expect(rest).toEqual([]);
  expect(only.map(([text]) => text)).toEqual(expected.map(([text]) => text));
  only.forEach(([, weight], i) => expect(weight).toBeCloseTo(expected[i][1], 12));
}

describe('A1111 emphasis', () => {
  it('plain text is one fragment of weight 1 covering the prompt', () => {
    const parsed = parsePrompt('a photo of a cat, 4k', { syntax: 'a1111' });
    expect(parsed.prompts).toHaveLength(1);
    expect(parsed.prompts[0].chunks).toEqual([
      [{ text: 'a photo of a cat, 4k', weight: 1, start: 0, end: 20, offsets: [...Array(20).keys()] }],
    ]);
    expect(parsed.diagnostics).toEqual([]);
  });

  it('(w) is x1.1, ((w)) x1.21, (((w))) x1.331', () => {
    expectWeights('a (cat) dog', [
      ['a ', 1],
      ['cat', 1.1],
      [' dog', 1],
    ]);
    expectWeights('((cat))', [['cat', 1.21]]);
    expectWeights('(((cat)))', [['cat', 1.331]]);
  });

  it('[w] divides by 1.1 and nests', () => {
    expectWeights('[cat]', [['cat', 1 / 1.1]]);
    expectWeights('[[cat]]', [['cat', 1 / 1.21]]);
    expectWeights('([cat])', [['cat', 1]]);
  });

  it('(w:1.5) sets 1.5 and nested brackets multiply', () => {
    expectWeights('(cat:1.5)', [['cat', 1.5]]);
    expectWeights('((cat:1.5))', [['cat', 1.65]]);
    expectWeights('(a (b:1.5) c:0.5)', [
      ['a ', 0.5],
      ['b', 0.75],
      [' c', 0.5],
    ]);
    expectWeights('[(cat:2)]', [['cat', 2 / 1.1]]);
    expectWeights('(cat: 0.25 )', [['cat', 0.25]]);
    expectWeights('(cat:-1)', [['cat', -1]]);
    expectWeights('(cat:.5)', [['cat', 0.5]]);
  });

  it('merges adjacent fragments of equal weight and keeps char ranges into the prompt', () => {
    const [fragment] = parsePrompt('(a)(b) c', { syntax: 'a1111' }).prompts[0].chunks[0];
    expect(fragment).toMatchObject({ text: 'ab', weight: 1.1, start: 1, end: 5, offsets: [1, 4] });
    const fragments = parsePrompt('x (big cat:1.3) y', { syntax: 'a1111' }).prompts[0].chunks[0];
    expect(fragments.map((f) => [f.start, f.end])).toEqual([
      [0, 2],
      [3, 10],
      [15, 17],
    ]);
  });

  it('a colon without a number is text inside the bracket', () => {
    expectWeights('(16:9 photo)', [['16:9 photo', 1.1]]);
    expectWeights('(a: b)', [['a: b', 1.1]]);
    expectWeights('(a:1.5x)', [['a:1.5x', 1.1]]);
  });

  it('round and square brackets keep separate stacks, as in A1111', () => {
    expectWeights('(a [b) c]', [
      ['a ', 1.1],
      ['b', 1],
      [' c', 1 / 1.1],
    ]);
  });
});

describe('A1111 escapes', () => {
  it('\\( \\) \\[ \\] \\: \\\\ are literal characters', () => {
    expectWeights('\\(x\\) \\[y\\] 16\\:9 a\\\\b', [['(x) [y] 16:9 a\\b', 1]]);
  });

  it('escaped brackets inside a weighted group keep the group weight', () => {
    expectWeights('(f\\(x\\):1.3)', [['f(x)', 1.3]]);
  });

  it('\\: stops a colon from reading as a weight', () => {
    expectWeights('(ratio\\:2)', [['ratio:2', 1.1]]);
  });

  it('offsets point at the escaped character, not the backslash', () => {
    const [fragment] = parsePrompt('a\\(b', { syntax: 'a1111' }).prompts[0].chunks[0];
    expect(fragment).toMatchObject({ text: 'a(b', start: 0, end: 4, offsets: [0, 2, 3] });
  });
});

describe('A1111 BREAK and AND', () => {
  it('BREAK starts a new chunk and swallows the whitespace around it', () => {
    expect(chunks('a cat BREAK a dog')).toEqual([[['a cat', 1]], [['a dog', 1]]]);
    expect(chunks('a BREAK b BREAK c')).toHaveLength(3);
  });

  it('BREAK must be a whole upper-case word', () => {
    expect(chunks('BREAKFAST break')).toEqual([[['BREAKFAST break', 1]]]);
  });

  it('BREAK inside brackets still breaks, and both sides keep the bracket weight', () => {
    expect(chunks('(a BREAK b)')).toEqual([[['a', 1.1]], [['b', 1.1]]]);
  });

  it('BREAK inside brackets says it differs from A1111; outside brackets it says nothing', () => {
    for (const prompt of ['(a BREAK b)', '[x (a BREAK b:1.3)]', '(unclosed BREAK b']) {
      const { diagnostics } = parsePrompt(prompt, { syntax: 'a1111' });
      const breakNote = diagnostics.find((d) => d.message.startsWith('BREAK inside brackets'));
      expect(breakNote?.message, prompt).toBe(
        'BREAK inside brackets: a new chunk starts here and both sides keep the bracket weight (A1111 would encode the word "BREAK" with a negative weight instead).',
      );
      expect(prompt.slice(breakNote!.start, breakNote!.end)).toBe('BREAK');
    }
    expect(parsePrompt('(a) BREAK [b]', { syntax: 'a1111' }).diagnostics).toEqual([]);
  });

  it('a leading BREAK gives an empty first chunk, as in A1111', () => {
    expect(chunks('BREAK a')).toEqual([[], [['a', 1]]]);
  });

  it('AND splits sub-prompts, each with an optional trailing :weight', () => {
    const parsed = parsePrompt('a cat :1.2 AND a (dog) :0.8 AND a bird', { syntax: 'a1111' });
    expect(parsed.combination).toBe('composable');
    expect(parsed.prompts.map((p) => p.weight)).toEqual([1.2, 0.8, 1]);
    expect(parsed.prompts.map((p) => p.chunks[0].map((f) => [f.text.trim(), f.weight]).filter(([t]) => t !== ''))).toEqual([
      [['a cat', 1]],
      [
        ['a', 1],
        ['dog', 1.1],
      ],
      [['a bird', 1]],
    ]);
    expect(parsed.prompts[1]).toMatchObject({ start: 14, end: 22 });
  });

  it('a trailing :number without AND stays text (unlike A1111, which would weight the whole prompt)', () => {
    const parsed = parsePrompt('wide shot 16:9', { syntax: 'a1111' });
    expect(parsed.prompts[0].weight).toBe(1);
    expect(parsed.prompts[0].chunks[0][0].text).toBe('wide shot 16:9');
  });

  it('AND splits even inside brackets (as A1111 does), reporting the broken brackets', () => {
    const parsed = parsePrompt('(a AND b)', { syntax: 'a1111' });
    expect(parsed.prompts).toHaveLength(2);
    expect(parsed.diagnostics.map((d) => [d.start, d.end])).toEqual([
      [0, 1],
      [8, 9],
    ]);
  });

  it('"and" in lower case and ANDROID do not split', () => {
    expect(parsePrompt('cat and dog, ANDROID', { syntax: 'a1111' }).prompts).toHaveLength(1);
  });
});

describe('A1111 diagnostics', () => {
  it('an unclosed ( is closed at the end (x1.1) and reported at the bracket', () => {
    const parsed = parsePrompt('a (cat, dog', { syntax: 'a1111' });
    expect(parsed.prompts[0].chunks[0].map((f) => [f.text, f.weight])).toEqual([
      ['a ', 1],
      ['cat, dog', 1.1],
    ]);
    expect(parsed.diagnostics).toEqual([{ message: expect.stringContaining('Unclosed "("'), start: 2, end: 3 }]);
  });

  it('an unclosed [ is closed at the end (/1.1)', () => {
    const parsed = parsePrompt('x [y', { syntax: 'a1111' });
    expect(parsed.prompts[0].chunks[0][1].weight).toBeCloseTo(1 / 1.1, 12);
    expect(parsed.diagnostics.map((d) => [d.start, d.end])).toEqual([[2, 3]]);
  });

  it('unmatched ) and ] are kept as text and reported', () => {
    const parsed = parsePrompt('a) b] c', { syntax: 'a1111' });
    expect(parsed.prompts[0].chunks[0].map((f) => f.text)).toEqual(['a) b] c']);
    expect(parsed.diagnostics.map((d) => [d.start, d.end])).toEqual([
      [1, 2],
      [4, 5],
    ]);
  });

  it('a bad weight number gives weight 1 and points at the number', () => {
    const parsed = parsePrompt('x (cat:1.2.3) (dog:.)', { syntax: 'a1111' });
    expect(parsed.prompts[0].chunks[0].map((f) => [f.text, f.weight])).toEqual([['x cat dog', 1]]);
    expect(parsed.diagnostics.map((d) => [d.start, d.end])).toEqual([
      [7, 12],
      [19, 20],
    ]);
  });

  it('a weight with no open bracket is text', () => {
    const parsed = parsePrompt('cat:1.5) dog', { syntax: 'a1111' });
    expect(parsed.prompts[0].chunks[0].map((f) => [f.text, f.weight])).toEqual([['cat:1.5) dog', 1]]);
    expect(parsed.diagnostics.map((d) => [d.start, d.end])).toEqual([[3, 8]]);
  });

  it('a stray backslash is dropped (as A1111 does) and reported', () => {
    const parsed = parsePrompt('a\\b', { syntax: 'a1111' });
    expect(parsed.prompts[0].chunks[0][0].text).toBe('ab');
    expect(parsed.diagnostics.map((d) => [d.start, d.end])).toEqual([[1, 2]]);
  });

  it('an empty sub-prompt around AND is reported at the AND', () => {
    const parsed = parsePrompt('a cat AND ', { syntax: 'a1111' });
    expect(parsed.prompts).toHaveLength(2);
    expect(parsed.diagnostics.map((d) => [d.start, d.end])).toEqual([[6, 9]]);
  });
});
