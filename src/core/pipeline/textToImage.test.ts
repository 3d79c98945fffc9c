// Pipeline tests on the real tiny model with real onnxruntime-web (WASM) sessions in Node.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/errors';
import { releasePipeline, type LoadedPipeline } from './loadPipeline';
import { generateImage } from './textToImage';
import { loadTinyPipeline, TWO_OBJECT_SETTINGS } from './testModel.test-support';
import { neutralPatchFeeds } from '../onnx/patchTesting.test-support';

const settings = TWO_OBJECT_SETTINGS;

function meanAbsDiff(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

describe('text-to-image pipeline on the tiny model (WASM)', () => {
  let pipeline: LoadedPipeline;
  beforeAll(async () => {
    pipeline = await loadTinyPipeline();
  });
  afterAll(() => releasePipeline(pipeline));

  it('runs each exported model as PyTorch computed it', async () => {
    const ref = JSON.parse(await readFile(new URL('../../../models/tiny/reference.json', import.meta.url), 'utf8'));
    const rt = pipeline.runtime;
    const ids = Int32Array.from(ref.input_ids.flat());
    const hidden = (await pipeline.textEncoder.run({ input_ids: rt.tensor('int32', ids, [2, 77]) })).last_hidden_state;
    const hiddenData = await rt.readFloat32(hidden);
    ref.last_hidden_state_head.forEach((v: number, i: number) => expect(hiddenData[i]).toBeCloseTo(v, 4));
    const sample = rt.tensor('float32', Float32Array.from(ref.sample), [2, 4, 16, 16]);
    // The UNet is loaded patched; neutral attention inputs make it the exported graph exactly.
    const out = await pipeline.unet.run({
      ...neutralPatchFeeds(),
      sample,
      timestep: rt.tensor('float32', Float32Array.from(ref.timestep), [2]),
      encoder_hidden_states: hidden,
    });
    const outData = await rt.readFloat32(out.out_sample);
    ref.out_sample_head.forEach((v: number, i: number) => expect(outData[i]).toBeCloseTo(v, 4));
  });

  it('tokenizes with the CLIP tokenizer: start token, words, end token, end-token padding to 77', () => {
    const { ids, truncatedWords } = pipeline.tokenizer.encode(['a red cat']);
    expect(ids.length).toBe(77);
    expect(pipeline.tokenizer.tokens('a red cat')).toEqual(['a</w>', 'red</w>', 'cat</w>']);
    expect(ids[0]).toBe(895);
    expect(ids[4]).toBe(896);
    expect(new Set(ids.slice(4))).toEqual(new Set([896]));
    expect(truncatedWords).toEqual([[]]);
  });

  it('reports the words dropped past the 77-token window', () => {
    const long = Array.from({ length: 90 }, (_, i) => (i < 80 ? 'cat' : 'zebra')).join(' ');
    const { truncatedWords } = pipeline.tokenizer.encode([long]);
    expect(truncatedWords[0].length).toBeGreaterThan(0);
    expect(truncatedWords[0].join(' ')).toContain('zebra');
  });

  it('gives the same pixels for the same settings and different pixels for another seed', async () => {
    const a = await generateImage(pipeline, settings);
    const b = await generateImage(pipeline, settings);
    const c = await generateImage(pipeline, { ...settings, seed: 8 });
    expect(a.width).toBe(128);
    expect(a.rgba.length).toBe(128 * 128 * 4);
    expect(Buffer.from(a.rgba).equals(Buffer.from(b.rgba))).toBe(true);
    expect(meanAbsDiff(a.rgba, c.rgba)).toBeGreaterThan(1);
  });

  it('uses the prompt: another prompt on the same seed gives another image', async () => {
    const a = await generateImage(pipeline, settings);
    const b = await generateImage(pipeline, { ...settings, prompt: 'a green square' });
    expect(meanAbsDiff(a.rgba, b.rgba)).toBeGreaterThan(0.5);
  });

  it.each(['euler', 'ddim', 'lcm', 'euler_a', 'dpmpp_2m'] as const)('samples with %s, guided and unguided', async (sampler) => {
    for (const guidance of [1, 5]) {
      const image = await generateImage(pipeline, { ...settings, sampler, guidance, steps: 2 });
      const distinct = new Set(image.rgba).size;
      expect(distinct).toBeGreaterThan(16);
    }
  });

  it('DPM++ 2M uses the previous x0 (it differs from Euler past two steps, and equals it at two)', async () => {
    const at = async (sampler: 'euler' | 'dpmpp_2m', steps: number) =>
      (await generateImage(pipeline, { ...settings, sampler, steps })).rgba;
    expect(meanAbsDiff(await at('euler', 2), await at('dpmpp_2m', 2))).toBeLessThan(0.01);
    expect(meanAbsDiff(await at('euler', 5), await at('dpmpp_2m', 5))).toBeGreaterThan(0.5);
  });

  it('reports progress per step and stops between steps when cancelled', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = generateImage(
      pipeline,
      { ...settings, steps: 6 },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'denoise' && p.step > 0) seen.push(p.step);
          if (p.step === 2) controller.abort();
        },
      },
    );
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen).toEqual([1, 2]);
  });

  it('rejects invalid settings before running any model', async () => {
    const runsBefore = pipeline.runtime.stats.runs;
    await expect(generateImage(pipeline, { ...settings, steps: 0 })).rejects.toBeInstanceOf(StudioError);
    await expect(generateImage(pipeline, { ...settings, seed: -1 })).rejects.toMatchObject({ code: 'invalid-settings' });
    expect(pipeline.runtime.stats.runs).toBe(runsBefore);
  });

  it('times the bare session.run calls: text encoder, one UNet + one step graph per step, scale, VAE', async () => {
    pipeline.conditioningCache.clear(); // a prompt seen before would not run the text encoder (conditioningCache.test.ts)
    pipeline.runtime.resetStats();
    await generateImage(pipeline, { ...settings, steps: 3 });
    expect(pipeline.runtime.stats.runs).toBe(1 + 3 * 2 + 2);
    expect(pipeline.runtime.stats.runMs).toBeGreaterThan(0);
  });
});

describe('output checks', () => {
  it('reports a NaN image as an error instead of returning it', async () => {
    // A latent scaling factor of 0 makes the VAE input infinite, so the decoder returns NaN.
    const broken = await loadTinyPipeline('fp32', (m) => (m.latent.scalingFactor = 0));
    try {
      await expect(generateImage(broken, settings)).rejects.toMatchObject({ code: 'bad-output', stage: 'vae' });
    } finally {
      await releasePipeline(broken);
    }
  });

  it('the int8 variant generates an image close to the fp32 one', async () => {
    const fp32 = await loadTinyPipeline('fp32');
    const int8 = await loadTinyPipeline('int8');
    try {
      const a = await generateImage(fp32, { ...settings, steps: 2 });
      const b = await generateImage(int8, { ...settings, steps: 2 });
      expect(meanAbsDiff(a.rgba, b.rgba)).toBeLessThan(20);
      expect(Buffer.from(a.rgba).equals(Buffer.from(b.rgba))).toBe(false);
    } finally {
      await Promise.all([releasePipeline(fp32), releasePipeline(int8)]);
    }
  });
});
