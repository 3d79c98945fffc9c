// Token weights and A1111 chunking: framing, padding, 75-token cuts, comma backtrack, BREAK, truncation and dropped words.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PromptTokenizer as ClipTokenizer } from '../pipeline/tokenizer';
import { parsePrompt } from './parsePrompt';
import { concatenatedWindowWeights, parsedPromptTokenWeights, promptTokenWeights, type TokenWindowOptions } from './tokenWindows';
import type { TextTokenizer } from './wordTokens';

const SOT = '<|startoftext|>';
const EOT = '<|endoftext|>';

/** CLIP-like fake: lower-cases, splits letters / single digits / punctuation runs, cuts letter runs into 4-letter pieces. */
const fakeTokenizer: TextTokenizer = {
  tokens(text) {
    const out: string[] = [];
    for (const piece of text.toLowerCase().match(/\p{L}+|\p{N}|[^\s\p{L}\p{N}]+/gu) ?? []) {
      const parts = piece.match(/.{1,4}/gsu) ?? [];
      parts.forEach((p, i) => out.push(i === parts.length - 1 ? `${p}</w>` : p));
    }
    return out;
  },
};

function weightsOf(prompt: string, options: TokenWindowOptions = {}, tokenizer = fakeTokenizer) {
  return promptTokenWeights(parsePrompt(prompt).prompts[0], tokenizer, options);
}

/** "w0 w1 ... w(n-1)": one token per word with the fake tokenizer. */
function words(n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, i) => `w${from + i}`.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]));
}

describe('window framing', () => {
  it('start, content, end, padding to 77, weight 1 outside the content', () => {
    const { windows, tokenCount, droppedWords } = weightsOf('a (cat) sat');
    expect(windows).toHaveLength(1);
    const [w] = windows;
    expect(w.tokens).toHaveLength(77);
    expect(w.tokens.slice(0, 6)).toEqual([SOT, 'a</w>', 'cat</w>', 'sat</w>', EOT, EOT]);
    expect(w.tokens.slice(5).every((t) => t === EOT)).toBe(true);
    expect(w.weights).toHaveLength(77);
    expect(Array.from(w.weights.slice(0, 5))).toEqual([1, 1, Math.fround(1.1), 1, 1]);
    expect(Array.from(w.weights.slice(4)).every((x) => x === 1)).toBe(true);
    expect(w.contentLength).toBe(3);
    expect(tokenCount).toBe(3);
    expect(droppedWords).toEqual([]);
  });

  it('sources point at each token word in the prompt; specials and padding have none', () => {
    const [w] = weightsOf('a (superman:1.3)').windows;
    expect(w.tokens.slice(1, 4)).toEqual(['a</w>', 'supe', 'rman</w>']);
    expect(w.sources.slice(0, 5)).toEqual([
      null,
      { start: 0, end: 1, word: 0 },
      { start: 3, end: 11, word: 1 },
      { start: 3, end: 11, word: 1 },
      null,
    ]);
    expect(Array.from(w.weights.slice(1, 4))).toEqual([1, Math.fround(1.3), Math.fround(1.3)]);
  });

  it('the pad token can differ from the end token (SD 2.x)', () => {
    const [w] = weightsOf('cat', { padToken: '!' }).windows;
    expect(w.tokens.slice(0, 5)).toEqual([SOT, 'cat</w>', EOT, '!', '!']);
  });

  it('an empty prompt is one window of start, end and padding', () => {
    const { windows } = weightsOf('');
    expect(windows).toHaveLength(1);
    expect(windows[0].contentLength).toBe(0);
    expect(windows[0].tokens.slice(0, 3)).toEqual([SOT, EOT, EOT]);
  });
});

describe('chunking long prompts', () => {
  it('cuts plainly at 75 tokens when there is no comma', () => {
    const { windows, tokenCount } = weightsOf(words(100).join(' '));
    expect(windows.map((w) => w.contentLength)).toEqual([75, 25]);
    expect(tokenCount).toBe(100);
    expect(windows[1].tokens[1]).toBe(`${words(1, 75)[0]}</w>`);
  });

  it('moves the text after a comma within the last 20 tokens to the next window', () => {
    const prompt = `${words(70).join(' ')}, ${words(10, 70).join(' ')}`;
    const { windows } = weightsOf(prompt);
    expect(windows.map((w) => w.contentLength)).toEqual([71, 10]);
    expect(windows[0].tokens[71]).toBe(',</w>');
    expect(windows[1].tokens[1]).toBe(`${words(1, 70)[0]}</w>`);
    expect(weightsOf(prompt, { commaBacktrack: 0 }).windows.map((w) => w.contentLength)).toEqual([75, 6]);
  });

  it('does not backtrack to a comma further than 20 tokens back', () => {
    const prompt = `${words(50).join(' ')}, ${words(40, 50).join(' ')}`;
    expect(weightsOf(prompt).windows.map((w) => w.contentLength)).toEqual([75, 16]);
  });

  it('BREAK starts a new window; a leading BREAK leaves an empty one, as A1111', () => {
    expect(weightsOf('a cat BREAK (a dog)').windows.map((w) => w.contentLength)).toEqual([2, 2]);
    expect(Array.from(weightsOf('a cat BREAK (a dog)').windows[1].weights.slice(0, 4))).toEqual([1, Math.fround(1.1), Math.fround(1.1), 1]);
    expect(weightsOf('BREAK a').windows.map((w) => w.contentLength)).toEqual([0, 1]);
  });

  it('concatenated window weights line windows up along the token axis', () => {
    const { windows } = weightsOf('a BREAK (b)');
    const all = concatenatedWindowWeights(windows);
    expect(all).toHaveLength(154);
    expect(all[77 + 1]).toBeCloseTo(1.1, 6);
    expect(all[1]).toBe(1);
  });
});

describe('truncation to maxChunks', () => {
  it('keeps one window and names the dropped words with their ranges', () => {
    const list = words(100);
    const prompt = list.join(' ');
    const { windows, droppedWords, tokenCount } = weightsOf(prompt, { maxChunks: 1 });
    expect(windows).toHaveLength(1);
    expect(tokenCount).toBe(100);
    expect(droppedWords.map((w) => w.text)).toEqual(list.slice(75));
    const first = droppedWords[0];
    expect(prompt.slice(first.start, first.end)).toBe(list[75]);
    expect(droppedWords.every((w) => !w.partial)).toBe(true);
  });

  it('marks a word cut in the middle as partial', () => {
    const prompt = `${words(74).join(' ')} abcdefghij tail`;
    const { droppedWords } = weightsOf(prompt, { maxChunks: 1 });
    expect(droppedWords).toEqual([
      { text: 'abcdefghij', start: prompt.indexOf('abcdefghij'), end: prompt.indexOf('abcdefghij') + 10, partial: true },
      { text: 'tail', start: prompt.length - 4, end: prompt.length, partial: false },
    ]);
  });

  it('the last kept window is filled to 75 tokens instead of backtracking to a comma', () => {
    const prompt = `${words(70).join(' ')}, ${words(10, 70).join(' ')}`;
    const { windows, droppedWords } = weightsOf(prompt, { maxChunks: 1 });
    expect(windows[0].contentLength).toBe(75);
    expect(droppedWords.map((w) => w.text)).toEqual(words(6, 74));
  });

  it('words after a BREAK past the limit are dropped', () => {
    const { droppedWords } = weightsOf('a cat BREAK a dog', { maxChunks: 1 });
    expect(droppedWords.map((w) => [w.text, w.start, w.end])).toEqual([
      ['a', 12, 13],
      ['dog', 14, 17],
    ]);
  });
});

describe('fragment boundaries inside words', () => {
  it('a boundary that the tokenizer splits at anyway keeps each side its weight', () => {
    const [w] = weightsOf('(cat),dog').windows;
    expect(w.tokens.slice(1, 4)).toEqual(['cat</w>', ',</w>', 'dog</w>']);
    expect(Array.from(w.weights.slice(1, 4))).toEqual([Math.fround(1.1), 1, 1]);
  });

  it('a boundary inside a BPE word keeps the plain tokens; each token takes the weight of most of its characters', () => {
    const [w] = weightsOf('(super:2)man').windows;
    expect(w.tokens.slice(1, 3)).toEqual(['supe', 'rman</w>']);
    expect(Array.from(w.weights.slice(1, 3))).toEqual([2, 1]);
  });

  it('falls back to A1111 per-piece tokens when the tokens do not spell the word back', () => {
    const unknownWords: TextTokenizer = { tokens: (text) => (text.includes('z') ? ['<unk>'] : fakeTokenizer.tokens(text)) };
    const [w] = weightsOf('(ab:2)zz', {}, unknownWords).windows;
    expect(w.tokens.slice(1, 3)).toEqual(['ab</w>', '<unk>']);
    expect(Array.from(w.weights.slice(1, 3))).toEqual([2, 1]);
  });
});

describe('with the tiny model CLIP BPE tokenizer', () => {
  const dir = new URL('../../../public/models/tiny-sd/tokenizer/', import.meta.url);
  let clip: ClipTokenizer;
  beforeAll(async () => {
    clip = await ClipTokenizer.create(
      JSON.parse(readFileSync(new URL('tokenizer.json', dir), 'utf8')),
      JSON.parse(readFileSync(new URL('tokenizer_config.json', dir), 'utf8')),
      77,
    );
  });

  it('emphasis never changes the token sequence of the plain prompt', () => {
    const plain = 'a photo of a superman, red cat on a blue mat';
    const emphasised = 'a (photo) of a [super]man, (red cat:1.4) on a bl(ue) mat';
    const [w] = promptTokenWeights(parsePrompt(emphasised).prompts[0], clip).windows;
    expect(w.tokens.slice(1, w.contentLength + 1)).toEqual(clip.tokens(plain));
    const weightOf = (token: string) => w.weights[w.tokens.indexOf(token)];
    expect(weightOf('photo</w>')).toBeCloseTo(1.1, 6);
    expect(weightOf('red</w>')).toBeCloseTo(1.4, 6);
    expect(weightOf('man</w>')).toBe(1);
    expect(weightOf('su')).toBeCloseTo(1 / 1.1, 6);
  });

  it('gives one result per AND sub-prompt', () => {
    const results = parsedPromptTokenWeights(parsePrompt('a cat AND (a dog:1.5)'), clip);
    expect(results.map((r) => r.windows[0].contentLength)).toEqual([2, 2]);
    expect(results[1].windows[0].weights[2]).toBeCloseTo(1.5, 6);
  });
});
