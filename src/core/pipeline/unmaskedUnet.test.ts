// The unmasked twin on the tiny model's real ORT sessions: which UNet each kind of generation runs, and that the
// twin changes no image.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDefaultBlocks, type GenerationSettings } from '../../shared/settings';
import { patchDenoiser } from '../onnx/patchDenoiser';
import type { ModelSession } from '../ort/runtime';
import { releasePipeline, type LoadedPipeline } from './loadPipeline';
import { generateImage } from './textToImage';
import { counted, loadTinyPipeline, tinyModelDir } from './testModel.test-support';
import { openUnmaskedTwin, UNMASKED_TWIN_MAX_BYTES, wantsUnmaskedTwin } from './unmaskedUnet';

const plain: GenerationSettings = withDefaultBlocks({
  prompt: 'a red cat and a blue dog',
  negativePrompt: '',
  seed: 11,
  steps: 3,
  guidance: 7.5,
  sampler: 'euler',
});
const masked: GenerationSettings = { ...plain, maskDiffusion: { ...plain.maskDiffusion, enabled: true } };
const attentionGain: GenerationSettings = { ...plain, prompt: 'a (red:1.4) cat', emphasis: { mode: 'attentionGain', syntax: 'a1111' } };

describe('the unmasked twin of a small UNet', () => {
  let p: LoadedPipeline;
  let unpatchedGraph: Uint8Array;
  beforeAll(async () => {
    p = await loadTinyPipeline();
    unpatchedGraph = new Uint8Array(await readFile(`${tinyModelDir}${p.variant.files.unet}`));
  });
  afterAll(() => releasePipeline(p));

  it('is wanted only for a patched UNet that is small', () => {
    expect(p.patchReport).toBeDefined();
    expect(p.unetBytes).toBe(unpatchedGraph.length); // patched at load: the graph as read
    expect(wantsUnmaskedTwin(p)).toBe(true);
    expect(wantsUnmaskedTwin({ ...p, unetBytes: UNMASKED_TWIN_MAX_BYTES + 1 })).toBe(false);
    expect(wantsUnmaskedTwin({ ...p, patchReport: undefined, patchError: 'refused' })).toBe(false);
  });

  it('refuses a patched graph as the twin, and releases its session', async () => {
    const copy: LoadedPipeline = { ...p };
    const created: ModelSession[] = [];
    const createSession = p.runtime.createSession.bind(p.runtime);
    const runtime = Object.create(p.runtime);
    runtime.createSession = async (...args: Parameters<typeof createSession>) => {
      const session = await createSession(...args);
      created.push(session);
      const release = session.release.bind(session);
      session.release = () => (((session as { released?: boolean }).released = true), release());
      return session;
    };
    copy.runtime = runtime;
    await expect(openUnmaskedTwin(copy, patchDenoiser(unpatchedGraph).bytes)).rejects.toThrow('is a patched graph');
    expect(copy.unmaskedUnet).toBeNull();
    expect(created).toHaveLength(1);
    expect((created[0] as { released?: boolean }).released).toBe(true);
  });

  it('runs plain generations, with the same pixels as the patched UNet; attention control and heatmaps stay on the patched one', async () => {
    const patchedRuns = counted(p.unet);
    const before = await generateImage(p, plain);
    expect(patchedRuns.runs).toBe(3);

    await openUnmaskedTwin(p, unpatchedGraph);
    expect(p.unmaskedUnet?.session.inputNames).toEqual(['sample', 'timestep', 'encoder_hidden_states']);
    const twinRuns = counted(p.unmaskedUnet!.session);
    const after = await generateImage(p, plain);
    expect(twinRuns.runs).toBe(3);
    expect(patchedRuns.runs).toBe(3);
    expect(after.rgba).toEqual(before.rgba);
    expect([before.denoiser, after.denoiser]).toEqual(['patched', 'unpatched']);
    expect(wantsUnmaskedTwin(p)).toBe(false); // one twin

    await generateImage(p, masked);
    await generateImage(p, attentionGain);
    const maps: number[] = [];
    const withMaps = await generateImage(p, plain, { onAttentionMaps: (step) => maps.push(step) });
    expect(maps).toEqual([0, 1, 2]);
    expect(withMaps.denoiser).toBe('patched');
    expect(twinRuns.runs).toBe(3);
    expect(patchedRuns.runs).toBeGreaterThanOrEqual(3 + 3 * 3);
  });

  it('is released with the pipeline', async () => {
    const other = await loadTinyPipeline();
    await openUnmaskedTwin(other, unpatchedGraph);
    const twin = other.unmaskedUnet!.session;
    let released = false;
    const release = twin.release.bind(twin);
    twin.release = () => ((released = true), release());
    await releasePipeline(other);
    expect(released).toBe(true);
    expect(other.unmaskedUnet).toBeNull();
  });
});
