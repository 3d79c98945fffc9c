// Messages between the page and the prompt-chips worker: a prompt in, its first chips and their count out.
import type { EmphasisSyntaxOption, PromptChip } from '../core/prompt';

export interface PromptChipsRequest {
  id: number;
  prompt: string;
  syntax: EmphasisSyntaxOption;
  /** Chips to send back at most (the page draws no more). */
  limit: number;
}

export interface PromptChipsReply {
  id: number;
  chips: PromptChip[];
  /** Words in the whole prompt. */
  total: number;
}
