// Property tests on seeded random prompts: parsing never throws, ranges stay inside the prompt, plain text is weight 1.
import { describe, expect, it } from 'vitest';
import { parsePrompt } from './parsePrompt';
import type { EmphasisSyntaxOption, ParsedPrompt } from './promptTypes';

/** mulberry32: small seeded generator so failures reproduce. */
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

const SYNTAX_PIECES = [
  '(',
  ')',
  '[',
  ']',
  ':',
  '+',
  '-',
  '.',
  ',',
  '"',
  '\\',
  ' ',
  '1',
  '0.5',
  '1.2.3',
  ':1.3)',
  ').blend(',
  ').and(',
  '.attend(',
  '.swap(',
  'BREAK',
  'AND',
  'cat',
  'dog',
  'é',
  '🙂',
];
const WORDS = ['cat', 'dog', 'red', 'a', 'photo', 'of', 'Tree', 'x9', '42'];
const SYNTAXES: EmphasisSyntaxOption[] = ['a1111', 'compel', 'auto'];

function randomPrompt(random: () => number, pieces: string[], maxPieces: number): string {
  const count = Math.floor(random() * maxPieces);
  let prompt = '';
  for (let i = 0; i < count; i++) prompt += pieces[Math.floor(random() * pieces.length)];
  return prompt;
}

function allFragments(parsed: ParsedPrompt) {
  return parsed.prompts.flatMap((p) => p.chunks.flat());
}

describe('parser properties', () => {
  it('never throws; fragments, offsets and diagnostics stay inside the prompt; offsets point at the text', () => {
    const random = seededRandom(20240611);
    const problems: string[] = [];
    let checkedCharacters = 0;
    for (let n = 0; n < 3000; n++) {
      const prompt = randomPrompt(random, SYNTAX_PIECES.concat(WORDS), 24);
      for (const syntax of SYNTAXES) {
        const where = `${syntax} ${JSON.stringify(prompt)}`;
        let parsed: ParsedPrompt;
        try {
          parsed = parsePrompt(prompt, { syntax });
        } catch (error) {
          problems.push(`${where}: threw ${String(error)}`);
          continue;
        }
        for (const part of parsed.prompts) {
          if (part.start < 0 || part.end > prompt.length || !Number.isFinite(part.weight))
            problems.push(`${where}: part ${part.start}-${part.end}`);
          let previousOffset = -1;
          for (const f of part.chunks.flat()) {
            if (f.start < part.start || f.end > part.end || f.start >= f.end || !Number.isFinite(f.weight))
              problems.push(`${where}: fragment ${JSON.stringify(f)}`);
            if (f.offsets.length !== f.text.length) problems.push(`${where}: offsets of ${f.text}`);
            f.offsets.forEach((offset, i) => {
              checkedCharacters++;
              if (offset <= previousOffset || offset < f.start || offset >= f.end || prompt[offset] !== f.text[i])
                problems.push(`${where}: offset ${offset} of ${f.text}[${i}]`);
              previousOffset = offset;
            });
          }
        }
        for (const d of parsed.diagnostics) {
          if (d.start < 0 || d.start > d.end || d.end > prompt.length || d.message === '')
            problems.push(`${where}: diagnostic ${JSON.stringify(d)}`);
        }
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(checkedCharacters).toBeGreaterThan(100_000);
  });

  it('plain text (letters, digits, spaces, commas) is weight 1 everywhere with no diagnostics', () => {
    const random = seededRandom(7);
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,'.split('');
    const problems: string[] = [];
    for (let n = 0; n < 3000; n++) {
      const prompt = randomPrompt(random, alphabet.concat(WORDS, [' ', ', ']), 60);
      for (const syntax of SYNTAXES) {
        const parsed = parsePrompt(prompt, { syntax });
        const fragments = allFragments(parsed);
        if (parsed.diagnostics.length > 0 || fragments.some((f) => f.weight !== 1)) problems.push(`${syntax} ${JSON.stringify(prompt)}`);
        const splits = /\b(AND|BREAK)\b/.test(prompt);
        if (!splits && (parsed.prompts.length !== 1 || fragments.length > 1 || fragments.map((f) => f.text).join('') !== prompt))
          problems.push(`${syntax} ${JSON.stringify(prompt)}: not one fragment`);
      }
      if (parsePrompt(prompt).syntax !== 'a1111') problems.push(`detected Compel in ${JSON.stringify(prompt)}`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });
});
