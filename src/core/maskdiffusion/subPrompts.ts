// Splits a prompt into the objects it names ("a red cat and a blue dog" -> "a red cat", "a blue dog").
export interface SubPrompt {
  text: string;
  /** Character range in the prompt. */
  start: number;
  end: number;
  /** The object's key word: the last word of the sub-prompt (its noun, in "adjective noun" prompts). */
  keyWord: string;
}

/** Explicit grouping with " | " wins; otherwise commas, semicolons and the word "and" separate objects. */
export function splitSubPrompts(prompt: string): SubPrompt[] {
  const separator = prompt.includes('|') ? /\|/g : /,|;|\band\b/gi;
  const parts: SubPrompt[] = [];
  let from = 0;
  const push = (end: number) => {
    const raw = prompt.slice(from, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    const words = text.match(/[\p{L}\p{N}]+/gu);
    if (words) parts.push({ text, start: from + lead, end: from + lead + text.length, keyWord: words[words.length - 1] });
  };
  for (const match of prompt.matchAll(separator)) {
    push(match.index);
    from = match.index + match[0].length;
  }
  push(prompt.length);
  return parts;
}
