// Prompt word chips, parsed off the main thread: a 4,000-character prompt takes tens of milliseconds to parse.
import { promptToChips } from '../core/prompt';
import type { PromptChipsReply, PromptChipsRequest } from '../shared/promptChipsProtocol';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (event: MessageEvent<PromptChipsRequest>) => {
  const { id, prompt, syntax, limit } = event.data;
  const chips = promptToChips(prompt, { syntax });
  const reply: PromptChipsReply = { id, chips: chips.slice(0, limit), total: chips.length };
  self.postMessage(reply);
};
