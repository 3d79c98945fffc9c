// Appends plain text to a parsed part, turning each BREAK keyword into a chunk boundary (both dialects).
import type { ParsedPart } from './promptTypes';

/** A1111's re_break: the keyword and the whitespace around it vanish; case-sensitive, whole word only. */
const BREAK_KEYWORD = /\s*\bBREAK\b\s*/g;

/** Adds prompt[from, to) (text without syntax characters) to the part's characters. */
export function pushLiteralRun(part: ParsedPart, prompt: string, from: number, to: number): void {
  const run = prompt.slice(from, to);
  let copied = 0;
  const copy = (end: number) => {
    for (let k = copied; k < end; k++) part.chars.push({ ch: run[k], start: from + k, end: from + k + 1, escaped: false });
  };
  for (const match of run.matchAll(BREAK_KEYWORD)) {
    copy(match.index);
    part.breaks.push({ at: part.chars.length, start: from + match.index, end: from + match.index + match[0].length });
    copied = match.index + match[0].length;
  }
  copy(run.length);
}
