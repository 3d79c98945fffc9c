// Every pipeline path on fixtures of the real exports' exact signatures (models/fixtures/families), with real
// onnxruntime-web WASM sessions: fp16 and fp32 I/O, static batch 1 and 2, trailing timesteps, and each feature
// giving an image or a refusal before the first UNet call.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StudioError } from '../../shared/errors';
import { withDefaultBlocks, type GenerationSettings } from '../../shared/settings';
import { float16BitsToFloat32 } from '../ort/float16';
import type { Feeds } from '../ort/runtime';
import { loadFamilyPipeline, type FixtureFamily } from './fixtureFamilies.test-support';
import { releasePipeline, type LoadedPipeline } from './loadPipeline';
import type { StepSnapshot } from './stepSnapshot';
import { generateImage } from './textToImage';

const base: GenerationSettings = withDefaultBlocks({
  prompt: 'a red cat',
  negativePrompt: 'blurry',
  seed: 11,
  steps: 2,
  guidance: 1,
  sampler: 'euler',
});

/** What each family's signature fixes: dtypes from real-models.md, and the UNet batch each call must get. */
const FAMILIES: { family: FixtureFamily; sample: string; timestep: string; staticBatch: number | null; trailing: boolean }[] = [
  { family: 'sd-turbo-ort-web-sdpa', sample: 'float32', timestep: 'int64', staticBatch: 1, trailing: true },
  { family: 'sd-turbo-ort-web-baddbmm', sample: 'float32', timestep: 'int64', staticBatch: 1, trailing: true },
  { family: 'sd-turbo-webnn', sample: 'float16', timestep: 'float16', staticBatch: 1, trailing: true },
  { family: 'sd15-webnn', sample: 'float16', timestep: 'int64', staticBatch: 2, trailing: false },
  // The optimizer's fused attention forms: WASM cannot run packed KV/QKV as exported, only once patched (unfused).
  { family: 'optimizer-mha-fp16', sample: 'float16', timestep: 'int64', staticBatch: null, trailing: false },
  { family: 'optimizer-mha-fp32', sample: 'float32', timestep: 'int64', staticBatch: null, trailing: false },
];

/** Values of a timestep feed, whatever its element type. */
function timestepValues(feeds: Feeds): number[] {
  const t = feeds.timestep;
  if (t.type === 'float16') return Array.from(float16BitsToFloat32(t.data as Uint16Array));
  return Array.from(t.data as ArrayLike<number | bigint>, Number);
}

/** Whether a batch-2 feed's two rows differ ([negative, positive]) or are one row duplicated. */
function rowsDiffer(feeds: Feeds, name: string): boolean {
  const t = feeds[name];
  const data = t.data as ArrayLike<number>;
  const row = data.length / (t.dims[0] as number);
  for (let i = 0; i < row; i++) if (data[i] !== data[row + i]) return true;
  return false;
}

describe.each(FAMILIES)('fixture family $family on WASM', ({ family, sample, timestep, staticBatch, trailing }) => {
  let p: LoadedPipeline;
  let unetCalls: Feeds[];
  beforeAll(async () => {
    p = await loadFamilyPipeline(family);
    const run = p.unet.run.bind(p.unet);
    // A spy that records each real call's feeds; the real session still runs.
    vi.spyOn(p.unet, 'run').mockImplementation((feeds) => {
      unetCalls.push(feeds);
      return run(feeds);
    });
  }, 120_000); // four sessions and the patcher; a shared machine is slow
  afterAll(() => releasePipeline(p));
  const generate = (settings: Partial<GenerationSettings>, opts = {}) => {
    unetCalls = [];
    return generateImage(p, { ...base, ...settings }, opts);
  };

  it('reads its dtypes and fixed batch from the sessions and the manifest', () => {
    expect(p.unet.input('sample').type).toBe(sample);
    expect(p.unet.input('timestep').type).toBe(timestep);
    expect(p.unetStaticBatch).toBe(staticBatch);
  });

  it('guidance <= 1: one row per step; a batch-2 model gets the row twice', async () => {
    const image = await generate({ guidance: 1 });
    expect(image.rgba.length).toBe(image.width * image.height * 4);
    expect(unetCalls.length).toBe(base.steps);
    for (const feeds of unetCalls) expect(feeds.sample.dims[0]).toBe(staticBatch ?? 1);
    if (staticBatch === 2) expect(rowsDiffer(unetCalls[0], 'encoder_hidden_states')).toBe(false);
  });

  it('guidance > 1: batch 1 runs [negative] and [positive] as two calls per step, batch 2 gets exactly [negative, positive]', async () => {
    const guided = await generate({ guidance: 7.5 });
    const callsPerStep = staticBatch === 1 ? 2 : 1;
    expect(unetCalls.length).toBe(base.steps * callsPerStep);
    for (const feeds of unetCalls) expect(feeds.sample.dims[0]).toBe(staticBatch ?? 2);
    if (staticBatch === 2) expect(rowsDiffer(unetCalls[0], 'encoder_hidden_states')).toBe(true);
    if (staticBatch === 1) expect(sameValues(unetCalls[0].encoder_hidden_states, unetCalls[1].encoder_hidden_states)).toBe(false);
    const unguided = await generate({ guidance: 1 });
    expect(Buffer.from(guided.rgba).equals(Buffer.from(unguided.rgba))).toBe(false);
  });

  it('AND with two parts and guidance: three rows, in as many calls as the fixed batch needs', async () => {
    const image = await generate({ prompt: 'a red cat AND a blue dog', guidance: 7.5 });
    expect(image.width).toBeGreaterThan(0);
    const callsPerStep = staticBatch === null ? 1 : Math.ceil(3 / staticBatch);
    expect(unetCalls.length).toBe(base.steps * callsPerStep);
  });

  it('emphasis changes the image (the embeddings are read and reweighted on the CPU, fp16 included)', async () => {
    const plain = await generate({ prompt: 'a red cat', guidance: 1 });
    const weighted = await generate({ prompt: 'a (red:1.6) cat', guidance: 1 });
    expect(Buffer.from(plain.rgba).equals(Buffer.from(weighted.rgba))).toBe(false);
  });

  it('previews read the latents and predictions of every step as float32, per guidance row', async () => {
    const snapshots: StepSnapshot[] = [];
    await generate({ guidance: 7.5 }, { onStepSnapshot: (s: StepSnapshot) => snapshots.push(s) });
    expect(snapshots.map((s) => s.index)).toEqual([0, 1]);
    for (const s of snapshots) {
      expect(s.x0.every(Number.isFinite)).toBe(true);
      expect(s.x0Cond).not.toBeNull();
      expect(s.x0Uncond).not.toBeNull();
    }
  });

  it('MaskDiffusion: an image with masks on a patched denoiser, else a refusal before any UNet call', async () => {
    const settings = {
      prompt: 'a red cat and a blue dog',
      guidance: 7.5,
      maskDiffusion: { enabled: true, strength: 1, variant: 'corrected' as const, boxes: [] },
    };
    if (p.patchReport) {
      const maps: number[] = [];
      const image = await generate(settings, { onAttentionMaps: (i: number) => maps.push(i) });
      expect(image.masks?.boxes.length).toBe(2);
      expect(maps.length).toBe(base.steps);
    } else {
      const error = await generate(settings).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StudioError);
      expect((error as StudioError).message).toMatch(/MaskDiffusion needs a patched denoiser/);
      expect(unetCalls.length).toBe(0);
    }
  });

  it(
    trailing
      ? 'SD-Turbo at 2 steps feeds t = 999 then 499 (trailing spacing), at 4 steps 999, 749, 499, 249'
      : "SD 1.5 keeps Euler's linspace timesteps (999, 0 at 2 steps)",
    async () => {
      expect(p.timestepSpacing).toBe(trailing ? 'trailing' : undefined);
      await generate({ steps: 2, guidance: 1 });
      expect(unetCalls.map((f) => timestepValues(f)[0])).toEqual(trailing ? [999, 499] : [999, 0]);
      await generate({ steps: 4, guidance: 1 });
      expect(unetCalls.map((f) => timestepValues(f)[0])).toEqual(trailing ? [999, 749, 499, 249] : [999, 666, 333, 0]);
    },
  );
});

/** Whether two feeds hold the same values (the [negative] and [positive] calls of a batch-1 model must not). */
function sameValues(a: Feeds[string], b: Feeds[string]): boolean {
  const x = a.data as ArrayLike<number>;
  const y = b.data as ArrayLike<number>;
  return x.length === y.length && Array.from(x).every((v, i) => v === y[i]);
}
