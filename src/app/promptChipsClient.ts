// The page's side of the prompt-chips worker: one worker; the caller keeps only the latest answer.
import { promptToChips, type EmphasisSyntaxOption, type PromptChip } from '../core/prompt';
import type { PromptChipsApi } from '../shared/promptChipsProtocol';
import { RpcClient } from '../shared/rpc';

let client: RpcClient<PromptChipsApi> | undefined;

function chipsClient(): RpcClient<PromptChipsApi> {
  client ??= new RpcClient<PromptChipsApi>({
    name: 'prompt chips',
    start: () => new Worker(new URL('../worker/promptChips.worker.ts', import.meta.url), { type: 'module', name: 'prompt-chips' }),
    // Parsing the longest prompt takes tens of milliseconds; a worker silent for 10 s is stuck.
    silenceTimeoutMs: { chips: 10_000 },
    crashRemedy: 'The chips are parsed on the page instead.',
  });
  return client;
}

/** The prompt's first `limit` chips and how many words it has, parsed in the worker (on the page if the worker fails). */
export function promptChipsOffThread(
  prompt: string,
  syntax: EmphasisSyntaxOption,
  limit: number,
): Promise<{ chips: PromptChip[]; total: number }> {
  return chipsClient()
    .call('chips', { prompt, syntax, limit })
    .done.catch(() => {
      const chips = promptToChips(prompt, { syntax });
      return { chips: chips.slice(0, limit), total: chips.length };
    });
}
