// AUTOMATIC1111 prompt syntax: `AND` sub-prompts with `:weight`, `(x)`, `(x:1.5)`, `[x]`, escapes and BREAK.
//
// Follows modules/prompt_parser.py (parse_prompt_attention, get_multicond_prompt_list) so prompts copied
// from A1111 get the same weights. Where A1111 crashes or silently misreads, we report a diagnostic instead:
// - an unclosed `(` or `[` is closed at the end of its sub-prompt (A1111's behaviour) and reported;
// - an unmatched `)` or `]` stays literal text (A1111's behaviour) and is reported;
// - `(x:1.2.3)` (A1111 raises on float()) closes the bracket with weight 1 and is reported;
// - a backslash that escapes nothing is dropped (A1111's behaviour) and reported;
// - `\:` is an escape here (A1111 only drops the backslash), so `(16\:9)` never reads 9 as a weight;
// - `BREAK` inside brackets starts a new chunk, both sides keeping the bracket weight, and is reported: A1111
//   multiplies its break marker's weight (-1) by the bracket's, no longer recognises it, and encodes the word
//   "BREAK" with a negative weight instead.
// Round and square brackets keep separate stacks as in A1111, so crossed brackets `( [ ) ]` still work.
import { A1111_EMPHASIS } from './emphasisConstants';
import { pushLiteralRun } from './literalRun';
import type { EmphasisGroup, ParsedPart, PromptDiagnostic, PromptStructure } from './promptTypes';

const ESCAPABLE = '()[]\\:';
const SYNTAX_CHARS = '\\()[]:';
/** `:1.5)` closing a round bracket with an explicit weight (A1111's `:\s*([+-]?[.\d]+)\s*\)`). */
const WEIGHT_CLOSE = /^:\s*([+-]?[.\d]+)\s*\)/;
const AND_SEPARATOR = /\bAND\b/g;
/** A sub-prompt's trailing `:weight` (A1111 re_weight); the earliest match that reaches the end wins. */
const PART_WEIGHT = /\s*:\s*([-+]?(?:\d+\.?|\d*\.\d+))\s*$/;

interface OpenBracket {
  start: number;
  first: number;
}

export function parseA1111(prompt: string): PromptStructure {
  const diagnostics: PromptDiagnostic[] = [];
  const separators = [...prompt.matchAll(AND_SEPARATOR)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const hasAnd = separators.length > 0;
  const parts: ParsedPart[] = [];
  let from = 0;
  for (let k = 0; k <= separators.length; k++) {
    const to = k < separators.length ? separators[k].start : prompt.length;
    let weight = 1;
    let textEnd = to;
    // Only with AND: A1111 also reads a lone prompt's trailing ":9" as a sub-prompt weight, which
    // surprises anyone who writes an aspect ratio at the end of a prompt.
    const weightMatch = hasAnd ? PART_WEIGHT.exec(prompt.slice(from, to)) : null;
    if (weightMatch) {
      weight = Number(weightMatch[1]);
      textEnd = from + weightMatch.index;
    }
    if (hasAnd && prompt.slice(from, textEnd).trim() === '') {
      const near = separators[Math.min(k, separators.length - 1)];
      diagnostics.push({ message: 'Empty sub-prompt next to AND: it is encoded as an empty prompt.', start: near.start, end: near.end });
    }
    parts.push(parseA1111Part(prompt, from, textEnd, weight, diagnostics));
    from = k < separators.length ? separators[k].end : to;
  }
  return { syntax: 'a1111', combination: 'composable', normalizeWeights: true, parts, diagnostics };
}

/** Parses prompt[from, to) (one sub-prompt) into characters, chunk breaks and bracket groups. */
export function parseA1111Part(prompt: string, from: number, to: number, weight: number, diagnostics: PromptDiagnostic[]): ParsedPart {
  const part: ParsedPart = { weight, start: from, end: to, quoted: false, chars: [], breaks: [], groups: [] };
  const { chars, groups } = part;
  const round: OpenBracket[] = [];
  const square: OpenBracket[] = [];
  const close = (open: OpenBracket, multiplier: number, end: number) => {
    groups.push({ multiplier, first: open.first, last: chars.length, start: open.start, end } satisfies EmphasisGroup);
  };
  let i = from;
  while (i < to) {
    const c = prompt[i];
    if (c === '\\') {
      const next = i + 1 < to ? prompt[i + 1] : '';
      if (next !== '' && ESCAPABLE.includes(next)) {
        chars.push({ ch: next, start: i, end: i + 2, escaped: true });
        i += 2;
      } else {
        diagnostics.push({ message: 'Backslash escapes nothing and is ignored (escape one of ( ) [ ] : \\).', start: i, end: i + 1 });
        i += 1;
      }
    } else if (c === '(' || c === '[') {
      (c === '(' ? round : square).push({ start: i, first: chars.length });
      i += 1;
    } else if (c === ':') {
      const match = WEIGHT_CLOSE.exec(prompt.slice(i, to));
      if (match && round.length > 0) {
        let value = Number(match[1]);
        if (!Number.isFinite(value)) {
          const numberStart = i + match[0].indexOf(match[1]);
          diagnostics.push({
            message: `"${match[1]}" is not a number: the bracket gets weight 1.`,
            start: numberStart,
            end: numberStart + match[1].length,
          });
          value = 1;
        }
        close(round.pop()!, value, i + match[0].length);
        i += match[0].length;
      } else {
        if (match) diagnostics.push({ message: `"${match[0]}" closes no "(": kept as text.`, start: i, end: i + match[0].length });
        const end = match ? i + match[0].length : i + 1;
        for (let p = i; p < end; p++) chars.push({ ch: prompt[p], start: p, end: p + 1, escaped: false });
        i = end;
      }
    } else if (c === ')' || c === ']') {
      const stack = c === ')' ? round : square;
      if (stack.length > 0) {
        close(stack.pop()!, c === ')' ? A1111_EMPHASIS.roundBracketMultiplier : A1111_EMPHASIS.squareBracketMultiplier, i + 1);
      } else {
        diagnostics.push({ message: `Unmatched "${c}": kept as text (write \\${c} for a literal bracket).`, start: i, end: i + 1 });
        chars.push({ ch: c, start: i, end: i + 1, escaped: false });
      }
      i += 1;
    } else {
      let j = i;
      while (j < to && !SYNTAX_CHARS.includes(prompt[j])) j++;
      const breaksBefore = part.breaks.length;
      pushLiteralRun(part, prompt, i, j);
      if (round.length + square.length > 0)
        for (const brk of part.breaks.slice(breaksBefore)) diagnostics.push(breakInBracketsDiagnostic(prompt, brk.start));
      i = j;
    }
  }
  // A1111 closes whatever is still open at the end of the sub-prompt.
  for (const [stack, multiplier, bracket] of [
    [round, A1111_EMPHASIS.roundBracketMultiplier, '('],
    [square, A1111_EMPHASIS.squareBracketMultiplier, '['],
  ] as const) {
    for (const open of stack) {
      diagnostics.push({
        message: `Unclosed "${bracket}": closed at the end of the prompt, as A1111 does.`,
        start: open.start,
        end: open.start + 1,
      });
      close(open, multiplier, to);
    }
  }
  return part;
}

function breakInBracketsDiagnostic(prompt: string, from: number): PromptDiagnostic {
  const start = prompt.indexOf('BREAK', from);
  return {
    message:
      'BREAK inside brackets: a new chunk starts here and both sides keep the bracket weight (A1111 would encode the word "BREAK" with a negative weight instead).',
    start,
    end: start + 'BREAK'.length,
  };
}
