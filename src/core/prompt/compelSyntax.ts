// Compel prompt syntax inside one (sub-)prompt: `word+`, `word--`, `(words)1.3`, `(words)+`, `"words"-`, nesting, escapes.
//
// Follows compel/prompt_parser.py: `+`/`-` runs weight the word or group right before them (no space
// between), parentheses and quotes only group (weight 1) unless a suffix follows, and `+`/`-` inside a word
// ("t-shirt") are text. Where Compel's parser raises, we report a diagnostic and keep going:
// - an unclosed `(` is closed at the end of its (sub-)prompt with weight 1 (Compel parentheses carry no
//   weight of their own, so this only hides the bracket from the encoder);
// - an unmatched `)` stays literal text;
// - a `"` with no closing quote stays literal text.
// A mixed run such as `word+-` multiplies 1.1 x 0.9 (Compel would reject it).
// Method calls other than the whole-prompt .blend/.and (compelConjunction.ts) are not supported: `.swap()`
// (cross-attention control, which Compel itself ignores), `.attend()` and any other `word.name(...)` are dropped,
// the text before them kept, and reported, instead of turning into the words "swap" or "attend".
import { COMPEL_EMPHASIS } from './emphasisConstants';
import { pushLiteralRun } from './literalRun';
import type { ParsedPart, PromptDiagnostic, SourceChar } from './promptTypes';

/** Characters Compel lets a backslash escape (plus `\` `[` `]` `:` for symmetry with A1111). */
const ESCAPABLE = '()"\\,.+-=[]:';
/** Characters that end a literal run in this parser ('.' so a method call after a word is seen). */
const SYNTAX_CHARS = '\\()"+-.';
/** `.name(` right after a word, `)` or closing quote (no space before the `(`): a Compel method call. */
const METHOD_CALL = /^\.([A-Za-z_]\w*)\(/;
/** Unescaped characters that end a Compel word (its non_syntax_word) besides whitespace. */
const WORD_STOPS = '(),".=';
/** A weight right after `)` or a closing quote: `(words)1.3`, `(words).5`. */
const NUMBER_SUFFIX = /^(?:\d+\.?\d*|\.\d+)/;

interface OpenGroup {
  kind: '(' | '"';
  start: number;
  first: number;
}

function isWordChar(c: SourceChar): boolean {
  return c.escaped || !(/\s/.test(c.ch) || WORD_STOPS.includes(c.ch));
}

/** Multiplier of a run of `+` and `-`: 1.1 per plus, 0.9 per minus. */
function signRunMultiplier(run: string): number {
  let m = 1;
  for (const sign of run) m *= sign === '+' ? COMPEL_EMPHASIS.plusMultiplier : COMPEL_EMPHASIS.minusMultiplier;
  return m;
}

function signRunLength(prompt: string, at: number, to: number): number {
  let j = at;
  while (j < to && (prompt[j] === '+' || prompt[j] === '-')) j++;
  return j - at;
}

/** The weight suffix at `at` (after `)` or a closing quote): a sign run, a number, or nothing (weight 1). */
function readSuffix(prompt: string, at: number, to: number): { multiplier: number; end: number } {
  const signs = signRunLength(prompt, at, to);
  if (signs > 0) return { multiplier: signRunMultiplier(prompt.slice(at, at + signs)), end: at + signs };
  const number = NUMBER_SUFFIX.exec(prompt.slice(at, to));
  if (number) return { multiplier: Number(number[0]), end: at + number[0].length };
  return { multiplier: 1, end: at };
}

function hasClosingQuote(prompt: string, from: number, to: number): boolean {
  for (let j = from; j < to; j++) {
    if (prompt[j] === '\\') j++;
    else if (prompt[j] === '"') return true;
  }
  return false;
}

/** Parses prompt[from, to) as one Compel prompt into characters, chunk breaks and groups. */
export function parseCompelPart(
  prompt: string,
  from: number,
  to: number,
  weight: number,
  quoted: boolean,
  diagnostics: PromptDiagnostic[],
): ParsedPart {
  const part: ParsedPart = { weight, start: from, end: to, quoted, chars: [], breaks: [], groups: [] };
  const { chars, groups } = part;
  const stack: OpenGroup[] = [];
  const closeUnclosedParens = (down: number, at: number, where: string) => {
    while (stack.length > down) {
      const open = stack.pop()!;
      diagnostics.push({ message: `Unclosed "(": closed ${where}.`, start: open.start, end: open.start + 1 });
      groups.push({ multiplier: 1, first: open.first, last: chars.length, start: open.start, end: at });
    }
  };
  let i = from;
  while (i < to) {
    const c = prompt[i];
    if (c === '\\' && i + 1 < to && ESCAPABLE.includes(prompt[i + 1])) {
      chars.push({ ch: prompt[i + 1], start: i, end: i + 2, escaped: true });
      i += 2;
    } else if (c === '(') {
      stack.push({ kind: '(', start: i, first: chars.length });
      i += 1;
    } else if (c === ')' && stack.length > 0 && stack[stack.length - 1].kind === '(') {
      const open = stack.pop()!;
      const suffix = readSuffix(prompt, i + 1, to);
      groups.push({ multiplier: suffix.multiplier, first: open.first, last: chars.length, start: open.start, end: suffix.end });
      i = suffix.end;
    } else if (c === ')') {
      diagnostics.push({ message: 'Unmatched ")": kept as text (write \\) for a literal bracket).', start: i, end: i + 1 });
      chars.push({ ch: c, start: i, end: i + 1, escaped: false });
      i += 1;
    } else if (c === '"') {
      let quoteIndex = stack.length - 1;
      while (quoteIndex >= 0 && stack[quoteIndex].kind !== '"') quoteIndex--;
      if (quoteIndex >= 0) {
        closeUnclosedParens(quoteIndex + 1, i, 'at the closing quote');
        const open = stack.pop()!;
        const suffix = readSuffix(prompt, i + 1, to);
        groups.push({ multiplier: suffix.multiplier, first: open.first, last: chars.length, start: open.start, end: suffix.end });
        i = suffix.end;
      } else if (hasClosingQuote(prompt, i + 1, to)) {
        stack.push({ kind: '"', start: i, first: chars.length });
        i += 1;
      } else {
        diagnostics.push({ message: 'Unterminated quote: kept as text.', start: i, end: i + 1 });
        chars.push({ ch: c, start: i, end: i + 1, escaped: false });
        i += 1;
      }
    } else if (c === '+' || c === '-') {
      i = pushSignRun(part, stack, prompt, i, to);
    } else if (c === '.' && i > from && !/\s/.test(prompt[i - 1]) && METHOD_CALL.test(prompt.slice(i, Math.min(to, i + 64)))) {
      i = skipMethodCall(prompt, i, to, diagnostics);
    } else {
      let j = i + 1;
      while (j < to && !SYNTAX_CHARS.includes(prompt[j])) j++;
      pushLiteralRun(part, prompt, i, j);
      i = j;
    }
  }
  closeUnclosedParens(0, to, 'at the end of the prompt');
  return part;
}

/** A sign run right after a word and before a word end weights that word; anywhere else it is text. */
function pushSignRun(part: ParsedPart, stack: OpenGroup[], prompt: string, at: number, to: number): number {
  const { chars } = part;
  const length = signRunLength(prompt, at, to);
  const after = at + length < to ? prompt[at + length] : '';
  const endsWord = after === '' || /\s/.test(after) || WORD_STOPS.includes(after);
  const floor = stack.length > 0 ? stack[stack.length - 1].first : 0;
  let first = chars.length;
  // The word: characters directly before the run, touching each other in the source (no bracket between).
  while (first > floor && isWordChar(chars[first - 1]) && chars[first - 1].end === (first === chars.length ? at : chars[first].start))
    first--;
  if (endsWord && first < chars.length) {
    part.groups.push({
      multiplier: signRunMultiplier(prompt.slice(at, at + length)),
      first,
      last: chars.length,
      start: chars[first].start,
      end: at + length,
    });
  } else {
    for (let p = at; p < at + length; p++) chars.push({ ch: prompt[p], start: p, end: p + 1, escaped: false });
  }
  return at + length;
}

/** Skips an unsupported `.name(...)` call at `at` (to its matching `)`), reporting what was done; returns its end. */
function skipMethodCall(prompt: string, at: number, to: number, diagnostics: PromptDiagnostic[]): number {
  const match = METHOD_CALL.exec(prompt.slice(at, to))!;
  const name = match[1];
  let depth = 0;
  let inQuote = false;
  let end = to;
  for (let j = at + match[0].length - 1; j < to; j++) {
    const c = prompt[j];
    if (c === '\\') j++;
    else if (c === '"') inQuote = !inQuote;
    else if (inQuote) continue;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) {
      end = j + 1;
      break;
    }
  }
  const call = `".${name}()"`;
  const why =
    name === 'swap'
      ? `${call} (cross-attention control) is not supported: the replacement is ignored and the text before it kept, as Compel itself does.`
      : name === 'blend' || name === 'and' || name === 'add'
        ? `${call} works only as the whole prompt, ("a", "b").${name}(...): here it is ignored and the text before it kept.`
        : `${call} is not supported: it is ignored and the text before it kept.`;
  diagnostics.push({
    message: end === to && prompt[end - 1] !== ')' ? `${why} (Its "(" is never closed, so the rest of the prompt went with it.)` : why,
    start: at,
    end,
  });
  return end;
}
