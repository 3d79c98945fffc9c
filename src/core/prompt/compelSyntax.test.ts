// Compel syntax: +/- suffixes, (words)1.3, nesting, quotes, escapes, .blend/.and, and diagnostics.
import { describe, expect, it } from 'vitest';
import { parsePrompt } from './parsePrompt';

function weights(prompt: string, part = 0): Array<[string, number]> {
  return parsePrompt(prompt, { syntax: 'compel' })
    .prompts[part].chunks.flat()
    .map((f) => [f.text, f.weight]);
}

function expectWeights(prompt: string, expected: Array<[string, number]>, part = 0) {
  const actual = weights(prompt, part);
  expect(actual.map(([text]) => text)).toEqual(expected.map(([text]) => text));
  actual.forEach(([, weight], i) => expect(weight).toBeCloseTo(expected[i][1], 12));
}

describe('Compel weighting', () => {
  it('word+ is x1.1, word++ x1.21, word- x0.9, word-- x0.81, on the last word only', () => {
    expectWeights('a tall man+', [
      ['a tall ', 1],
      ['man', 1.1],
    ]);
    expectWeights('man++', [['man', 1.21]]);
    expectWeights('man- dog--', [
      ['man', 0.9],
      [' ', 1],
      ['dog', 0.81],
    ]);
    expectWeights('man+++,', [
      ['man', 1.331],
      [',', 1],
    ]);
  });

  it('+ and - inside a word or away from one are text', () => {
    expectWeights('t-shirt, well-lit room', [['t-shirt, well-lit room', 1]]);
    expectWeights('a - b + c', [['a - b + c', 1]]);
  });

  it('(words)1.3 sets a weight, (words)+ and (words)- scale, bare (words) only groups', () => {
    expectWeights('a (red cat)1.3', [
      ['a ', 1],
      ['red cat', 1.3],
    ]);
    expectWeights('(red cat)+', [['red cat', 1.1]]);
    expectWeights('(red cat)--', [['red cat', 0.81]]);
    expectWeights('(red cat).5', [['red cat', 0.5]]);
    expectWeights('(red cat) dog', [['red cat dog', 1]]);
  });

  it('nesting multiplies', () => {
    expectWeights('(a (red cat)1.5 dog)1.2', [
      ['a ', 1.2],
      ['red cat', 1.8],
      [' dog', 1.2],
    ]);
    expectWeights('a tall man (picking apricots+)++', [
      ['a tall man ', 1],
      ['picking ', 1.21],
      ['apricots', 1.331],
    ]);
    expectWeights('((cat)+)-', [['cat', 0.99]]);
  });

  it('quoted fragments group and take suffixes', () => {
    expectWeights('"a red cat"++ on a mat', [
      ['a red cat', 1.21],
      [' on a mat', 1],
    ]);
    expectWeights('"a cat"0.5', [['a cat', 0.5]]);
  });

  it('escapes are literal characters', () => {
    expectWeights('f\\(x\\) \\"q\\" c\\+\\+ a\\-', [['f(x) "q" c++ a-', 1]]);
    expectWeights('(c\\+\\+)1.5', [['c++', 1.5]]);
  });

  it('BREAK starts a new chunk in Compel prompts too', () => {
    const parsed = parsePrompt('a cat+ BREAK a dog', { syntax: 'compel' });
    expect(parsed.prompts[0].chunks.map((c) => c.map((f) => f.text))).toEqual([['a ', 'cat'], ['a dog']]);
  });

  it('.attend() and other unsupported calls are dropped and reported, never read as words', () => {
    const attend = parsePrompt('a (red cat)1.3.attend(2) on a mat', { syntax: 'compel' });
    expect(attend.prompts[0].chunks.flat().map((f) => [f.text, f.weight])).toEqual([
      ['a ', 1],
      ['red cat', 1.3],
      [' on a mat', 1],
    ]);
    expect(attend.diagnostics).toEqual([
      { message: '".attend()" is not supported: it is ignored and the text before it kept.', start: 14, end: 24 },
    ]);
    expectWeights('cat.attend("x", 0.5)++ dog', [['cat++ dog', 1]]); // the call's arguments, quotes and all, are skipped
  });

  it('.swap() keeps the original text, as Compel does, and says the replacement is ignored', () => {
    const swap = parsePrompt('a (fluffy cat).swap(smiling dog) eating', { syntax: 'compel' });
    expect(
      swap.prompts[0].chunks
        .flat()
        .map((f) => f.text)
        .join(''),
    ).toBe('a fluffy cat eating');
    expect(swap.diagnostics.map((d) => d.message)).toEqual([
      '".swap()" (cross-attention control) is not supported: the replacement is ignored and the text before it kept, as Compel itself does.',
    ]);
    expect(parsePrompt('a cat.swap(dog', { syntax: 'compel' }).diagnostics[0].message).toContain('never closed');
  });

  it('a .blend() that is not the whole prompt is reported; periods in text stay text', () => {
    const nested = parsePrompt('x, (a (b, c).blend(1, 2))', { syntax: 'compel' });
    expect(nested.diagnostics.map((d) => d.message)).toEqual([
      '".blend()" works only as the whole prompt, ("a", "b").blend(...): here it is ignored and the text before it kept.',
    ]);
    const plain = parsePrompt('a cat. a dog.sleeping (x).y', { syntax: 'compel' });
    expect(plain.diagnostics).toEqual([]);
    expect(
      plain.prompts[0].chunks
        .flat()
        .map((f) => f.text)
        .join(''),
    ).toBe('a cat. a dog.sleeping x.y');
  });

  it('A1111 brackets mean nothing in Compel: [x] is text, (x:1.5) is a group of weight 1', () => {
    expectWeights('[cat] (dog:1.5)', [['[cat] dog:1.5', 1]]);
  });
});

describe('Compel blend and conjunction', () => {
  it('("a", "b").blend(1, 0.8) gives two prompts with blend weights, normalised by default', () => {
    const parsed = parsePrompt('("spider man", "robot mech").blend(1, 0.8)', { syntax: 'compel' });
    expect(parsed).toMatchObject({ combination: 'blend', normalizeWeights: true, diagnostics: [] });
    expect(parsed.prompts.map((p) => [p.weight, p.start, p.end, p.chunks[0].map((f) => f.text)])).toEqual([
      [1, 2, 12, ['spider man']],
      [0.8, 16, 26, ['robot mech']],
    ]);
  });

  it('no_normalize turns normalisation off', () => {
    expect(parsePrompt('("a", "b").blend(0.5, 0.5, no_normalize)', { syntax: 'compel' }).normalizeWeights).toBe(false);
  });

  it('weights inside blended prompts still apply', () => {
    expectWeights(
      '("a cat++", "(a dog)0.5").blend(1, 1)',
      [
        ['a ', 1],
        ['cat', 1.21],
      ],
      0,
    );
    expectWeights('("a cat++", "(a dog)0.5").blend(1, 1)', [['a dog', 0.5]], 1);
  });

  it('.and() concatenates with weight 1 each; .and(1, 0.5) weights them; .add is the same', () => {
    const plain = parsePrompt('("a galaxy", "trending, HQ").and()', { syntax: 'compel' });
    expect(plain.combination).toBe('concat');
    expect(plain.prompts.map((p) => [p.weight, p.chunks[0][0].text])).toEqual([
      [1, 'a galaxy'],
      [1, 'trending, HQ'],
    ]);
    expect(parsePrompt('("a", "b").and(1, 0.5)', { syntax: 'compel' }).prompts.map((p) => p.weight)).toEqual([1, 0.5]);
    expect(parsePrompt('("a", "b").add(2, 3)', { syntax: 'compel' }).prompts.map((p) => p.weight)).toEqual([2, 3]);
  });

  it('unquoted list items are allowed', () => {
    const parsed = parsePrompt('(cat, (a dog)1.5).and()', { syntax: 'compel' });
    expect(parsed.prompts.map((p) => p.chunks[0].map((f) => [f.text, f.weight]))).toEqual([[['cat', 1]], [['a dog', 1.5]]]);
  });

  it('commas and brackets inside quotes do not split the list', () => {
    const parsed = parsePrompt('("a, b (c)", "d").blend(1, 1)', { syntax: 'compel' });
    expect(parsed.prompts.map((p) => p.chunks[0].map((f) => f.text).join(''))).toEqual(['a, b c', 'd']);
  });
});

describe('Compel diagnostics', () => {
  it('an unclosed ( is closed at the end with weight 1 and reported', () => {
    const parsed = parsePrompt('a (cat+ dog', { syntax: 'compel' });
    expect(parsed.prompts[0].chunks[0].map((f) => [f.text, f.weight])).toEqual([
      ['a ', 1],
      ['cat', 1.1],
      [' dog', 1],
    ]);
    expect(parsed.diagnostics.map((d) => [d.start, d.end])).toEqual([[2, 3]]);
  });

  it('an unmatched ) is text; an unterminated quote is text', () => {
    const parsed = parsePrompt('cat) "dog', { syntax: 'compel' });
    expect(parsed.prompts[0].chunks[0].map((f) => f.text)).toEqual(['cat) "dog']);
    expect(parsed.diagnostics.map((d) => [d.start, d.end])).toEqual([
      [3, 4],
      [5, 6],
    ]);
  });

  it('a ( left open inside quotes closes at the quote', () => {
    const parsed = parsePrompt('"a (b" c', { syntax: 'compel' });
    expect(parsed.prompts[0].chunks[0].map((f) => f.text)).toEqual(['a b c']);
    expect(parsed.diagnostics.map((d) => [d.start, d.end])).toEqual([[3, 4]]);
  });

  it('text outside .blend() is ignored and reported', () => {
    const parsed = parsePrompt('photo ("a", "b").blend(1, 1) extra', { syntax: 'compel' });
    expect(parsed.prompts).toHaveLength(2);
    expect(parsed.diagnostics.map((d) => [d.start, d.end])).toEqual([
      [0, 6],
      [28, 34],
    ]);
  });

  it('bad, missing and extra weights are reported', () => {
    const bad = parsePrompt('("a", "b").blend(1, x)', { syntax: 'compel' });
    expect(bad.prompts.map((p) => p.weight)).toEqual([1, 1]);
    expect(bad.diagnostics.map((d) => [d.start, d.end])).toEqual([[20, 21]]);
    const missing = parsePrompt('("a", "b").blend(0.3)', { syntax: 'compel' });
    expect(missing.prompts.map((p) => p.weight)).toEqual([0.3, 1]);
    expect(missing.diagnostics.map((d) => [d.start, d.end])).toEqual([[17, 20]]);
    const extra = parsePrompt('("a").and(1, 2)', { syntax: 'compel' });
    expect(extra.prompts.map((p) => p.weight)).toEqual([1]);
    expect(extra.diagnostics).toHaveLength(1);
  });

  it('an unclosed argument list reads to the end', () => {
    const parsed = parsePrompt('("a", "b").blend(1, 0.5', { syntax: 'compel' });
    expect(parsed.prompts.map((p) => p.weight)).toEqual([1, 0.5]);
    expect(parsed.diagnostics.map((d) => [d.start, d.end])).toEqual([[16, 17]]);
  });
});
