// Text conditioning for one generation: emphasis parsing (A1111/Compel), AND / blend combinations,
// MaskDiffusion's sub-prompt swap, and the chosen emphasis mode, producing the denoiser's batch.
// The batch's layout ([negative prompt?, part 1, ..., part K]) is returned with it (batchLayout.ts).
import { StudioError } from '../../shared/errors';
import { SD_IO } from '../../shared/modelContract';
import type { EmphasisSettings, GenerationSettings } from '../../shared/settings';
import { swapSubPromptEmbeddings } from '../maskdiffusion/embeddingSwap';
import { splitSubPrompts, type SubPrompt } from '../maskdiffusion/subPrompts';
import { subPromptTokenSpans, type TokenSpan } from '../maskdiffusion/tokenSpans';
import {
  applyA1111Emphasis,
  applyLerpFromEmpty,
  attentionGains,
  parsePrompt,
  parsedPromptTokenWeights,
  type PromptDiagnostic,
  type TokenWindow,
} from '../prompt';
import type { Tensor } from '../ort/runtime';
import type { LoadedPipeline } from './loadPipeline';
import { batchLayout, type BatchLayout } from './batchLayout';
import type { Lease } from './conditioningCache';
import { inputIdsTensor } from './modelInputs';

export interface PreparedPrompts {
  /** The prompt's text without emphasis syntax (single-part prompts), for MaskDiffusion and heatmaps. */
  plainPrompt: string;
  parts: TokenWindow[];
  partWeights: number[];
  combination: 'composable' | 'concat' | 'blend';
  normalizeWeights: boolean;
  negative: TokenWindow;
  truncatedWords: string[];
  diagnostics: PromptDiagnostic[];
}

/** Parses prompt and negative prompt into one 77-token window per part (the text encoder's window). */
export function preparePrompts(p: LoadedPipeline, prompt: string, negative: string, emphasis: EmphasisSettings): PreparedPrompts {
  const parsed = parsePrompt(prompt, { syntax: emphasis.syntax });
  const windowOptions = { maxChunks: 1, padToken: p.tokenizer.padToken };
  const perPart = parsedPromptTokenWeights(parsed, p.tokenizer, windowOptions);
  const negativeParsed = parsePrompt(negative, { syntax: emphasis.syntax });
  const negativeWindow = parsedPromptTokenWeights(negativeParsed, p.tokenizer, windowOptions)[0].windows[0];
  return {
    plainPrompt:
      parsed.prompts.length === 1
        ? parsed.prompts[0].chunks
            .map((chunk) => chunk.map((f) => f.text).join(''))
            .join(' ')
            .replace(/\s+/g, ' ')
            .trim()
        : prompt,
    parts: perPart.map((w) => w.windows[0]),
    partWeights: parsed.prompts.map((q) => q.weight),
    combination: parsed.combination,
    normalizeWeights: parsed.normalizeWeights,
    negative: negativeWindow,
    truncatedWords: perPart.flatMap((w) => w.droppedWords.map((d) => d.text)),
    diagnostics: [...parsed.diagnostics, ...negativeParsed.diagnostics],
  };
}

export interface Conditioning {
  embeddings: Tensor;
  /** Which row holds the negative prompt and which the prompt's parts (guidanceWeightsFor weights them per scale). */
  layout: BatchLayout;
  /** token_gain input [batch, T] for the attention-gain mode, else null (all ones). */
  tokenGains: Float32Array | null;
}

export async function encodeConditioning(
  p: LoadedPipeline,
  prepared: PreparedPrompts,
  opts: { cfg: boolean; emphasis: EmphasisSettings; subPrompts?: { texts: string[]; spans: TokenSpan[] } },
): Promise<Conditioning> {
  const { runtime, textEncoder, tokenizer } = p;
  const T = tokenizer.maxLength;
  const composable = prepared.combination !== 'blend' && prepared.parts.length > 1;
  if (composable && opts.subPrompts) {
    throw new StudioError({
      code: 'invalid-settings',
      stage: 'settings',
      message: 'MaskDiffusion works on a single prompt, not on AND / .and() combinations.',
      remedy: 'Turn MaskDiffusion off or remove AND from the prompt.',
    });
  }
  const mode = opts.emphasis.mode;
  const windows = [...(opts.cfg ? [prepared.negative] : []), ...prepared.parts];
  const extraTexts = [...(opts.subPrompts?.texts ?? []), ...(mode === 'lerpFromEmpty' ? [''] : [])];
  const ids = new Int32Array((windows.length + extraTexts.length) * T);
  windows.forEach((w, i) => ids.set(tokenizer.ids(w.tokens), i * T));
  if (extraTexts.length) ids.set(tokenizer.encode(extraTexts).ids, windows.length * T);
  const rows = windows.length + extraTexts.length;
  // A fixed-batch text encoder (SD 1.5 WebNN: 2 rows, SD-Turbo WebNN: 1) runs in calls of its batch.
  const out = await p.textEncoderRunner.run(rows, { [SD_IO.textEncoder.inputIds]: inputIdsTensor(runtime, textEncoder, ids, rows, T) });
  const encoded = out[textEncoder.outputNames[0]];
  const hidden = (encoded.dims as number[])[2];
  const weighted = windows.some((w) => w.weights.some((v) => v !== 1));
  const needsCpu = !!opts.subPrompts || prepared.combination === 'blend' || (weighted && mode !== 'attentionGain') || rows > windows.length;

  const first = opts.cfg ? 1 : 0;
  const partScales = partGuidanceScales(prepared);
  let embeddings: Tensor = encoded;
  let batchWindows = windows;
  if (needsCpu) {
    // One read before sampling starts (never per step): swaps, blends and emphasis happen on the CPU.
    const all = await runtime.readFloat32(encoded);
    runtime.dispose(encoded);
    const row = (i: number) => all.slice(i * T * hidden, (i + 1) * T * hidden);
    let rowsOut: Float32Array<ArrayBufferLike>[] = windows.map((_, i) => row(i));
    if (opts.subPrompts) {
      const subs = opts.subPrompts.texts.map((_, i) => row(windows.length + i));
      rowsOut[first] = swapSubPromptEmbeddings(rowsOut[first], subs, opts.subPrompts.spans, hidden);
    }
    if (mode !== 'attentionGain') {
      const empty = mode === 'lerpFromEmpty' ? row(rows - 1) : null;
      rowsOut = rowsOut.map((z, i) =>
        empty ? applyLerpFromEmpty(z, empty, windows[i].weights) : applyA1111Emphasis(z, windows[i].weights),
      );
    }
    if (prepared.combination === 'blend' && prepared.parts.length > 1) {
      const blended = new Float32Array(T * hidden);
      prepared.parts.forEach((_, k) => rowsOut[first + k].forEach((v, j) => (blended[j] += partScales[k] * v)));
      rowsOut = [...rowsOut.slice(0, first), blended];
      batchWindows = [...windows.slice(0, first), prepared.parts[0]];
    }
    const data = new Float32Array(rowsOut.length * T * hidden);
    rowsOut.forEach((r, i) => data.set(r, i * T * hidden));
    embeddings = runtime.tensor('float32', data, [rowsOut.length, T, hidden]);
  } else if (rows > windows.length) {
    throw new Error('unreachable: extra rows always take the CPU path');
  }
  // A blend leaves one conditional row of weight 1; AND keeps a row per part.
  const blended = batchWindows.length - first !== prepared.parts.length;
  const layout = batchLayout(opts.cfg, blended ? [1] : partScales);
  let tokenGains: Float32Array | null = null;
  if (mode === 'attentionGain' && weighted) {
    tokenGains = new Float32Array(layout.rows * T);
    batchWindows.forEach((w, i) => tokenGains!.set(attentionGains(w.weights), i * T));
  }
  return { embeddings, layout, tokenGains };
}

/** Per-part weights: AND weights as written; blend weights normalised to sum 1 unless no_normalize. */
function partGuidanceScales(prepared: PreparedPrompts): number[] {
  const weights = prepared.partWeights;
  if (prepared.combination !== 'blend') return weights;
  const total = weights.reduce((a, w) => a + w, 0);
  return prepared.normalizeWeights && total !== 0 ? weights.map((w) => w / total) : weights;
}

/** The prompt side of a generation, made before sampling and kept for the next one of the same prompt. */
export interface PromptConditioning {
  prepared: PreparedPrompts;
  /** MaskDiffusion's objects (empty when masking is off) and their token spans. */
  subPrompts: SubPrompt[];
  spans: TokenSpan[];
  conditioning: Conditioning;
}

/**
 * The generation's prompt conditioning, from the pipeline's cache when the last one had the same prompt, negative
 * prompt, emphasis, guidance on or off and masking on or off (all it depends on: the seed, steps, sampler, guidance
 * scale, boxes and MaskDiffusion strength are applied later). Release the lease when the generation ends.
 */
export function leasePromptConditioning(
  p: LoadedPipeline,
  settings: GenerationSettings,
  opts: { cfg: boolean; masking: boolean },
): Promise<Lease<PromptConditioning>> {
  const { prompt, negativePrompt, emphasis } = settings;
  const key = JSON.stringify([prompt, negativePrompt, emphasis.mode, emphasis.syntax, opts.cfg, opts.masking]);
  return p.conditioningCache.lease(key, async () => {
    const prepared = preparePrompts(p, prompt, negativePrompt, emphasis);
    const subPrompts = opts.masking ? splitSubPrompts(prepared.plainPrompt) : [];
    const spans = subPromptTokenSpans(p.tokenizer, prepared.plainPrompt, subPrompts, p.tokenizer.maxLength);
    const conditioning = await encodeConditioning(p, prepared, {
      cfg: opts.cfg,
      emphasis,
      subPrompts: opts.masking ? { texts: subPrompts.map((s) => s.text), spans } : undefined,
    });
    return { value: { prepared, subPrompts, spans, conditioning }, embeddings: conditioning.embeddings };
  });
}
