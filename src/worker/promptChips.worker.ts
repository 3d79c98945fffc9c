// Prompt word chips, parsed off the main thread: a 4,000-character prompt takes tens of milliseconds to parse.
import { StudioError } from '../shared/errors';
import type { PromptChipsApi } from '../shared/promptChipsProtocol';
import { serveRpc } from '../shared/rpc';
import { promptToChips } from '../core/prompt';

declare const self: DedicatedWorkerGlobalScope;

serveRpc<PromptChipsApi>(
  self,
  {
    async chips({ prompt, syntax, limit }) {
      const chips = promptToChips(prompt, { syntax });
      return { chips: chips.slice(0, limit), total: chips.length };
    },
  },
  (error) => StudioError.from(error, 'tokenize'),
);
