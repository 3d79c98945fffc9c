// Encodes [negative, prompt] for CFG; with MaskDiffusion also each sub-prompt, swapped into the prompt's embedding.
import { swapSubPromptEmbeddings } from '../maskdiffusion/embeddingSwap';
import type { TokenSpan } from '../maskdiffusion/tokenSpans';
import type { Tensor } from '../ort/runtime';
import type { LoadedPipeline } from './loadPipeline';
import { inputIdsTensor } from './modelInputs';

export interface EncodedText {
  embeddings: Tensor;
  /** Words past the 77-token window in the prompt. */
  truncatedWords: string[];
}

export async function encodeText(p: LoadedPipeline, prompt: string, negative: string, cfg: boolean, subPrompts?: { texts: string[]; spans: TokenSpan[] }): Promise<EncodedText> {
  const { runtime, textEncoder, tokenizer } = p;
  const head = cfg ? [negative, prompt] : [prompt];
  const prompts = subPrompts ? [...head, ...subPrompts.texts] : head;
  const tokens = tokenizer.encode(prompts);
  const out = await textEncoder.run({ input_ids: inputIdsTensor(runtime, textEncoder, tokens.ids, prompts.length, tokenizer.maxLength) });
  const encoded = out[textEncoder.outputNames[0]];
  const truncatedWords = tokens.truncatedWords[head.length - 1];
  if (!subPrompts) return { embeddings: encoded, truncatedWords };

  // One read-back before sampling starts (not per step): the swap happens on the CPU.
  const all = await runtime.readFloat32(encoded);
  runtime.dispose(encoded);
  const [, length, hidden] = encoded.dims as number[];
  const rowSize = length * hidden;
  const row = (i: number) => all.subarray(i * rowSize, (i + 1) * rowSize);
  const promptRow = head.length - 1;
  const swapped = swapSubPromptEmbeddings(row(promptRow), subPrompts.texts.map((_, i) => row(head.length + i)), subPrompts.spans, hidden);
  const result = new Float32Array(head.length * rowSize);
  if (cfg) result.set(row(0), 0);
  result.set(swapped, promptRow * rowSize);
  return { embeddings: runtime.tensor('float32', result, [head.length, length, hidden]), truncatedWords };
}
