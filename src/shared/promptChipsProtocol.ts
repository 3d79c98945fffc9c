// The prompt-chips worker's API (shared/rpc.ts): a prompt in, its first chips and their count out.
import type { EmphasisSyntaxOption, PromptChip } from '../core/prompt';
import type { Method } from './rpc';

export type PromptChipsApi = {
  chips: Method<
    { prompt: string; syntax: EmphasisSyntaxOption /** Chips to send back at most (the page draws no more). */; limit: number },
    { chips: PromptChip[] /** Words in the whole prompt. */; total: number }
  >;
};
