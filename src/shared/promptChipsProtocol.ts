// The prompt-chips worker's API (shared/rpc.ts): a prompt in, its first chips and their count out.
import type { Method } from './rpc';
import type { EmphasisSyntaxOption } from './settings';

/** One word of a prompt as the chip editor shows it (core/prompt/promptChips.ts makes them). */
export interface PromptChip {
  /** The word as the encoder sees it (syntax removed, escapes resolved). */
  text: string;
  /** The weight most of its characters carry. */
  weight: number;
  /** Its characters carry different weights (emphasis syntax inside the word, e.g. `bl(ue)`). */
  mixed: boolean;
  /** From the word's first character to just after its last, in the prompt (surrounding syntax excluded). */
  start: number;
  end: number;
  /** Index of the sub-prompt (AND part, or .blend/.and item) holding the word. */
  prompt: number;
}

export type PromptChipsApi = {
  chips: Method<
    { prompt: string; syntax: EmphasisSyntaxOption /** Chips to send back at most (the page draws no more). */; limit: number },
    { chips: PromptChip[] /** Words in the whole prompt. */; total: number }
  >;
};
