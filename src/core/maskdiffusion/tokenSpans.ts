// Where each sub-prompt's tokens sit in the full prompt's token sequence (CLIP BPE works word by word).
import type { SubPrompt } from './subPrompts';

export interface TokenSpan {
  /** First token index in the full prompt's ids (index 0 is the start token). */
  start: number;
  /** One past the last token. */
  end: number;
  /** Indices of the key word's tokens. */
  keyTokens: number[];
}

export interface TokenCounter {
  tokens(text: string): string[];
}

export function subPromptTokenSpans(tokenizer: TokenCounter, prompt: string, subPrompts: SubPrompt[], maxLength: number): TokenSpan[] {
  const lastUsable = maxLength - 1; // the end token takes the last slot
  return subPrompts.map((sp) => {
    const start = 1 + tokenizer.tokens(prompt.slice(0, sp.start)).length;
    const end = Math.min(start + tokenizer.tokens(sp.text).length, lastUsable);
    const keyCount = tokenizer.tokens(sp.keyWord).length;
    const keyTokens: number[] = [];
    for (let i = Math.max(start, end - keyCount); i < end; i++) keyTokens.push(i);
    return { start: Math.min(start, end), end, keyTokens };
  });
}

/** Number of tokens the prompt uses including start and end tokens (the rest is padding). */
export function usedTokenCount(tokenizer: TokenCounter, prompt: string, maxLength: number): number {
  return Math.min(tokenizer.tokens(prompt).length + 2, maxLength);
}
