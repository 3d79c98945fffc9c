// Writes characters with relative weights back as A1111 or Compel syntax (used when a chip's weight changes).
import { WEIGHT_DECIMALS, WEIGHT_EPSILON } from './emphasisConstants';
import type { EmphasisSyntax, SourceChar } from './promptTypes';

/** One item to write: a character at a weight relative to its enclosing groups, or a BREAK. */
export type WriterItem = { kind: 'char'; char: SourceChar; weight: number } | { kind: 'break' };

/** "1.3", "0.826446": fixed decimals (A1111's weight regex has no exponent), trailing zeros dropped. */
export function formatWeight(weight: number): string {
  const text = weight.toFixed(WEIGHT_DECIMALS).replace(/\.?0+$/, '');
  return text === '-0' || text === '' ? '0' : text;
}

function sameWeight(a: number, b: number): boolean {
  return Math.abs(a - b) <= WEIGHT_EPSILON * Math.max(1, Math.abs(a), Math.abs(b));
}

const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);

/** Escapes one run of characters so the dialect reads it back as the same literal text. */
function escapeRun(chars: SourceChar[], syntax: EmphasisSyntax): string {
  let out = '';
  chars.forEach((c, i) => {
    const rest = chars
      .slice(i + 1)
      .map((x) => x.ch)
      .join('');
    let needsEscape: boolean;
    if (syntax === 'a1111') {
      // A colon is only syntax when a number and ")" follow; "16:9 photo" stays readable.
      needsEscape = c.escaped || '\\()[]'.includes(c.ch) || (c.ch === ':' && /^\s*[+-]?[.\d]*\s*$/.test(rest));
    } else {
      // + and - are text between two word characters ("t-shirt"), a weight suffix anywhere else.
      const signInWord = (c.ch === '+' || c.ch === '-') && isWordChar(chars[i - 1]?.ch) && isWordChar(chars[i + 1]?.ch);
      needsEscape = c.escaped || '\\()"'.includes(c.ch) || ((c.ch === '+' || c.ch === '-') && !signInWord);
    }
    out += needsEscape ? `\\${c.ch}` : c.ch;
  });
  return out;
}

/** Writes the items: runs of equal weight, weight 1 as plain text, others wrapped in the dialect's syntax. */
export function writeEmphasis(items: WriterItem[], syntax: EmphasisSyntax): string {
  let out = '';
  let run: SourceChar[] = [];
  let runWeight = 1;
  let previousWasWeighted = false;
  const flush = () => {
    if (run.length === 0) return;
    const text = run.map((c) => c.ch).join('');
    const lead = text.length - text.trimStart().length;
    const trail = text.length - text.trimEnd().length;
    const core = run.slice(lead, run.length - trail);
    if (sameWeight(runWeight, 1) || core.length === 0) {
      const plain = escapeRun(run, syntax);
      // After Compel's "(x)1.3" a leading digit or "." would extend the number: group it (weight 1).
      out += syntax === 'compel' && previousWasWeighted && /^[\d.]/.test(plain) ? `(${plain})` : plain;
      previousWasWeighted = false;
    } else {
      const body = escapeRun(core, syntax);
      const wrapped = syntax === 'a1111' ? `(${body}:${formatWeight(runWeight)})` : `(${body})${formatWeight(Math.max(0, runWeight))}`;
      out += text.slice(0, lead) + wrapped + text.slice(text.length - trail);
      previousWasWeighted = trail === 0;
    }
    run = [];
  };
  for (const item of items) {
    if (item.kind === 'break') {
      flush();
      out += ' BREAK ';
      previousWasWeighted = false;
    } else {
      if (run.length > 0 && !sameWeight(item.weight, runWeight)) flush();
      if (run.length === 0) runWeight = item.weight;
      run.push(item.char);
    }
  }
  flush();
  return out;
}
