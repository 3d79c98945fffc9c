// Emphasis in the pipeline: each mode's embedding maths against the published formulas, on the real text encoder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDefaultBlocks, type EmphasisSettings, type GenerationSettings } from '../../shared/settings';
import { guidanceWeightsFor } from './batchLayout';
import { encodeConditioning, preparePrompts } from './conditioning';
import { releasePipeline, type LoadedPipeline } from './loadPipeline';
import { generateImage } from './textToImage';
import { loadTinyPipeline } from './testModel.test-support';

const T = 77;
const D = 64;
const base: GenerationSettings = withDefaultBlocks({
  prompt: 'a red cat',
  negativePrompt: '',
  seed: 12,
  steps: 3,
  guidance: 7.5,
  sampler: 'euler',
});

describe('emphasis on the tiny model', () => {
  let p: LoadedPipeline;
  beforeAll(async () => {
    p = await loadTinyPipeline();
  });
  afterAll(() => releasePipeline(p));

  /** Raw text-encoder output of plain texts, [rows, T, D]. */
  async function encodePlain(texts: string[]): Promise<Float32Array> {
    const { ids } = p.tokenizer.encode(texts);
    const out = await p.textEncoder.run({ input_ids: p.runtime.tensor('int32', ids, [texts.length, T]) });
    return p.runtime.readFloat32(out.last_hidden_state);
  }
  const conditional = async (prompt: string, emphasis: EmphasisSettings) => {
    const c = await encodeConditioning(p, preparePrompts(p, prompt, '', emphasis), { cfg: true, emphasis });
    return { c, z: (await p.runtime.readFloat32(c.embeddings)).slice(T * D, 2 * T * D) };
  };

  it('A1111 embedding scaling: z_i * w_i, then rescaled to the original mean', async () => {
    const z = (await encodePlain(['a red cat'])).slice(0, T * D);
    const { z: actual } = await conditional('a (red:1.5) cat', { mode: 'embeddingScaling', syntax: 'a1111' });
    const redToken = 2; // [start, a, red, cat, end...]
    const scaled = z.map((v, i) => (Math.floor(i / D) === redToken ? v * 1.5 : v));
    const mean = (x: Float32Array) => x.reduce((a, v) => a + v, 0) / x.length;
    const expected = scaled.map((v) => v * (mean(z) / mean(scaled)));
    expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, 5));
  });

  it('lerp from the empty prompt (ComfyUI/Compel): z_empty + w (z - z_empty)', async () => {
    const z = (await encodePlain(['a red cat'])).slice(0, T * D);
    const empty = (await encodePlain([''])).slice(0, T * D);
    const { z: actual } = await conditional('a red++ cat', { mode: 'lerpFromEmpty', syntax: 'compel' });
    for (let i = 0; i < T * D; i++) {
      const w = Math.floor(i / D) === 2 ? 1.1 * 1.1 : 1;
      expect(actual[i]).toBeCloseTo(empty[i] + w * (z[i] - empty[i]), 5);
    }
  });

  it('attention gain leaves the embedding alone and feeds the weights as token_gain', async () => {
    const z = (await encodePlain(['a red cat'])).slice(0, T * D);
    const { c, z: actual } = await conditional('a (red:1.5) cat', { mode: 'attentionGain', syntax: 'a1111' });
    expect(Array.from(actual)).toEqual(Array.from(z));
    expect(c.tokenGains![T + 2]).toBeCloseTo(1.5, 6);
    expect(c.tokenGains!.filter((g, i) => i !== T + 2 && g !== 1).length).toBe(0);
  });

  it.each(['embeddingScaling', 'lerpFromEmpty', 'attentionGain'] as const)(
    '%s: a weight changes the image on the same seed, weight 1 does not',
    async (mode) => {
      const emphasis = { mode, syntax: 'a1111' as const };
      const plain = await generateImage(p, { ...base, emphasis });
      const one = await generateImage(p, { ...base, prompt: 'a (red:1) cat', emphasis });
      const strong = await generateImage(p, { ...base, prompt: 'a (red:1.8) cat', emphasis });
      expect(Buffer.from(one.rgba).equals(Buffer.from(plain.rgba))).toBe(true);
      expect(Buffer.from(strong.rgba).equals(Buffer.from(plain.rgba))).toBe(false);
    },
  );

  it('AND is composable diffusion: one batch entry per part, guidance weights summing to 1', async () => {
    const emphasis: EmphasisSettings = { mode: 'embeddingScaling', syntax: 'a1111' };
    const { c } = await conditional('a red cat :1.2 AND a blue dog :0.8', emphasis);
    expect(c.layout.rows).toBe(3);
    expect(Array.from(guidanceWeightsFor(c.layout, 7.5)).map((w) => Number(w.toFixed(4)))).toEqual(
      [1 - 7.5 * 2, 7.5 * 1.2, 7.5 * 0.8].map((w) => Number(w.toFixed(4))),
    );
    const image = await generateImage(p, { ...base, prompt: 'a red cat :1.2 AND a blue dog :0.8', emphasis });
    expect(new Set(image.rgba).size).toBeGreaterThan(16);
  });

  it('a malformed prompt still generates and reports where the syntax broke', async () => {
    const image = await generateImage(p, { ...base, prompt: 'a (red cat', emphasis: { mode: 'embeddingScaling', syntax: 'a1111' } });
    expect(image.promptWarnings.length).toBeGreaterThan(0);
    expect(image.promptWarnings[0]).toMatch(/at character \d+/);
  });
});
