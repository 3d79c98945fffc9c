// The page's side of the prompt-chips worker: one worker, the latest request wins.
import type { EmphasisSyntaxOption, PromptChip } from '../core/prompt';
import type { PromptChipsReply, PromptChipsRequest } from '../shared/promptChipsProtocol';

let worker: Worker | undefined;
let nextId = 1;
const waiting = new Map<number, (reply: PromptChipsReply) => void>();

function chipsWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('../worker/promptChips.worker.ts', import.meta.url), { type: 'module', name: 'prompt-chips' });
    worker.onmessage = (event: MessageEvent<PromptChipsReply>) => {
      waiting.get(event.data.id)?.(event.data);
      waiting.delete(event.data.id);
    };
  }
  return worker;
}

/** The prompt's first `limit` chips and how many words it has, parsed in the worker. */
export function promptChipsOffThread(prompt: string, syntax: EmphasisSyntaxOption, limit: number): Promise<{ chips: PromptChip[]; total: number }> {
  const id = nextId++;
  const request: PromptChipsRequest = { id, prompt, syntax, limit };
  return new Promise((done) => {
    waiting.set(id, done);
    chipsWorker().postMessage(request);
  });
}
