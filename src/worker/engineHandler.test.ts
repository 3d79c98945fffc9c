// The engine handlers over the worker RPC in Node, on the tiny model's real ORT sessions: loads run one at a time and
// the latest wins, a failed load releases its sessions, a loaded model is warmed up in the background, generation
// reports and transfers, a crashed worker is replaced.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EngineApi, LoadRequest } from '../shared/protocol';
import { RpcClient } from '../shared/rpc';
import { channelWorker, type ChannelWorker } from '../shared/rpcChannel.test-support';
import { withDefaultBlocks, type GenerationSettings } from '../shared/settings';
import { OrtRuntime, type RuntimeOptions } from '../core/ort/runtime';
import { servePublic, type PublicServer } from '../core/pipeline/publicServer.test-support';
import { createEngineHandlers, engineError } from './engineHandler';

const SESSIONS_PER_MODEL = 5; // text encoder, UNet, VAE decoder, sampler step, latent scale
const settings: GenerationSettings = withDefaultBlocks({
  prompt: 'a red cat',
  negativePrompt: '',
  seed: 5,
  steps: 2,
  guidance: 7.5,
  sampler: 'euler',
});

let server: PublicServer;
beforeAll(async () => {
  server = await servePublic();
});
afterAll(() => server.close());

/**
 * An engine worker in this process whose runtimes count the real sessions they create and release. With `holdFirstLoad`,
 * the first load cannot create a fifth session (the VAE decoder, after the sampler step, latent scale, text encoder
 * and UNet) before a second load reached the worker (so it cannot finish first).
 */
function engine({ holdFirstLoad = false } = {}) {
  const sessions = { created: 0, released: 0, live: () => sessions.created - sessions.released };
  /** Runs per session name, over every session this engine made. */
  const runs = new Map<string, number>();
  let secondLoadArrived = () => {};
  const secondLoad = new Promise<void>((arrived) => (secondLoadArrived = arrived));
  const configureRuntime = (options: RuntimeOptions) => {
    const runtime = OrtRuntime.configure(options);
    const create = runtime.createSession.bind(runtime);
    runtime.createSession = async (...args) => {
      if (holdFirstLoad && sessions.created === 4) await secondLoad;
      const session = await create(...args);
      sessions.created += 1;
      const release = session.release.bind(session);
      session.release = () => ((sessions.released += 1), release());
      const run = session.run.bind(session);
      session.run = (feeds) => (runs.set(session.name, (runs.get(session.name) ?? 0) + 1), run(feeds));
      return session;
    };
    return runtime;
  };
  const workers: ChannelWorker[] = [];
  const client = new RpcClient<EngineApi>({
    name: 'engine',
    start: () => {
      const handlers = createEngineHandlers({ runtimeOptions: { numThreads: 1 }, configureRuntime });
      let loads = 0;
      const load = handlers.load;
      handlers.load = (req, context) => (++loads === 2 && secondLoadArrived(), load(req, context));
      const worker = channelWorker<EngineApi>(handlers, engineError);
      workers.push(worker);
      return worker;
    },
    silenceTimeoutMs: { load: 60_000, generate: null, decodeStep: 60_000 },
    crashRemedy: 'The model is being loaded again.',
  });
  return { client, sessions, runs, workers };
}

const tiny = (variantId: string): LoadRequest => ({
  preference: 'wasm',
  variantId,
  model: { kind: 'url', baseUrl: server.engineUrls.builtInModel },
  graphsBaseUrl: server.engineUrls.graphs,
});

describe('engine handlers', () => {
  it('runs two loads one at a time: the latest wins and the older one releases the sessions it made', async () => {
    const { client, sessions } = engine({ holdFirstLoad: true });
    let second: Promise<unknown> | undefined;
    // The second load is asked for once the first holds sessions (its helper graphs, text encoder and UNet).
    const first = client.call('load', tiny('fp32'), {
      onProgress: (p) => void (p.label === 'UNet' && (second = client.call('load', tiny('int8')).done)),
    }).done;
    await expect(first).rejects.toMatchObject({ code: 'cancelled', message: 'This model load was replaced by a newer one.' });
    expect(await second).toMatchObject({ model: { variant: 'int8' } });
    expect(sessions.created).toBeGreaterThanOrEqual(SESSIONS_PER_MODEL + 4); // the first made four or five (held before a fifth)
    expect(sessions.live()).toBe(SESSIONS_PER_MODEL);
    const image = await client.call('generate', { settings }).done;
    expect(image.png.byteLength).toBeGreaterThan(100);
    client.terminate();
  });

  it('releases every session a failed load created, and names the file that failed', async () => {
    const { client, sessions } = engine();
    server.damaged.add('models/tiny-sd/vae_decoder/model.onnx');
    try {
      const error = await client.call('load', tiny('fp32')).done.catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'model-load', stage: 'load', message: expect.stringContaining('VAE decoder') });
    } finally {
      server.damaged.clear();
    }
    expect(sessions.created).toBe(4); // sampler step, latent scale, text encoder and UNet opened before the VAE decoder failed
    expect(sessions.live()).toBe(0);
    // A later load of the same model works.
    await client.call('load', tiny('fp32')).done;
    expect(sessions.live()).toBe(SESSIONS_PER_MODEL);
    client.terminate();
  });

  it('releases the sampler step session that opened while a broken tokenizer was read', async () => {
    const { client, sessions } = engine();
    server.damaged.add('models/tiny-sd/tokenizer/tokenizer.json');
    try {
      const error = await client.call('load', tiny('fp32')).done.catch((e: unknown) => e);
      expect(error).toMatchObject({ stage: 'load', message: expect.stringMatching(/JSON/) });
    } finally {
      server.damaged.clear();
    }
    expect(sessions.created).toBe(1); // the sampler step opens while the tokenizer is read
    expect(sessions.live()).toBe(0);
    client.terminate();
  });

  it('generates with progress and a transferred PNG, and refuses a step of a run it no longer keeps', async () => {
    const { client } = engine();
    await client.call('load', tiny('fp32')).done;
    const phases: string[] = [];
    const result = await client.call(
      'generate',
      { settings },
      { onProgress: (p) => p.type === 'progress' && phases.push(`${p.phase}:${p.step}`) },
    ).done;
    // Coalesced (progressReports.ts): each phase's start always, steps of the same phase at most one per 100 ms.
    const every = ['encode:0', 'denoise:0', 'denoise:1', 'denoise:2', 'decode:2'];
    expect(phases.filter((p) => every.includes(p))).toEqual(phases);
    expect(phases).toEqual(every.filter((p) => phases.includes(p)));
    expect(phases).toEqual(expect.arrayContaining(['encode:0', 'denoise:0', 'decode:2']));
    // The masks of every step come back with the image, whichever steps were reported (masking off: none placed).
    expect(result.maskTimeline).toEqual([null, null]);
    // A step-by-step run hears every step.
    const teachingPhases: string[] = [];
    await client.call(
      'generate',
      { settings, teaching: { startPaused: false, snapshots: false } },
      { onProgress: (p) => p.type === 'progress' && teachingPhases.push(`${p.phase}:${p.step}`) },
    ).done;
    expect(teachingPhases).toEqual(every);
    // With MaskDiffusion on, 2 steps are too few to learn masks from: a probe pass places them before the first.
    const masked = await client.call('generate', {
      settings: { ...settings, prompt: 'a red cat and a blue dog', maskDiffusion: { ...settings.maskDiffusion, enabled: true } },
    }).done;
    expect(masked.maskTimeline).toHaveLength(2);
    for (const state of masked.maskTimeline) {
      expect(state).toMatchObject({ source: 'probe', activeFromStep: 0 });
      expect(state!.boxes).toHaveLength(2);
      expect(state!.boxes.every((box) => box !== null)).toBe(true);
    }
    expect([...result.png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    // The encode is timed apart from the pipeline (npm run bench shows it beside the overhead ratio).
    expect(result.timings.pngMs).toBeGreaterThan(0);
    expect(result.timings.totalMs).toBeGreaterThan(result.timings.denoiseMs);
    await expect(client.call('decodeStep', { generationId: 999, stepIndex: 0 }).done).rejects.toMatchObject({
      code: 'invalid-settings',
      stage: 'vae',
      message: 'Step 1 of that run is no longer kept.',
      remedy: 'Run the step-by-step generation again.',
    });
    client.terminate();
  });

  it('warms every session once after a load, in the background; a generation at once counts only its own runs', async () => {
    const { client, runs } = engine();
    await client.call('load', tiny('fp32')).done;
    // At once: it stops the warm-up between model calls and waits for the one in flight, which its stats leave out.
    const first = await client.call('generate', { settings }).done;
    // Another prompt, so that its text encoder runs too (a repeated prompt's conditioning is kept).
    const other = await client.call('generate', { settings: { ...settings, prompt: 'a blue dog' } }).done;
    expect(first.stats.runs).toBe(other.stats.runs);
    const again = await client.call('generate', { settings }).done;
    expect(again.stats.runs).toBe(first.stats.runs);
    expect(first.png).toEqual(again.png);

    await client.call('load', tiny('int8')).done;
    const before = new Map(runs);
    await vi.waitFor(() => expect(runs.get('VAE decoder')).toBe((before.get('VAE decoder') ?? 0) + 1), { timeout: 20_000 });
    for (const name of ['text encoder', 'UNet', 'sampler step', 'latent scale', 'VAE decoder'])
      expect(runs.get(name)! - (before.get(name) ?? 0), name).toBeGreaterThanOrEqual(1);
    client.terminate();
  });

  it('opens an unmasked twin of the UNet after the load, in the background: plain generations run it, heatmaps the patched UNet', async () => {
    const { client, runs } = engine();
    await client.call('load', tiny('fp32')).done;
    await vi.waitFor(() => expect(runs.get('UNet (unmasked)')).toBe(1), { timeout: 20_000 }); // opened, then warmed up
    const before = new Map(runs);
    const plain = await client.call('generate', { settings }).done;
    expect(runs.get('UNet (unmasked)')! - before.get('UNet (unmasked)')!).toBe(settings.steps);
    expect(runs.get('UNet')).toBe(before.get('UNet'));
    const withHeatmaps = await client.call('generate', { settings, heatmaps: true }).done;
    expect(runs.get('UNet')! - before.get('UNet')!).toBe(settings.steps);
    expect(withHeatmaps.attention?.perStep).toHaveLength(settings.steps);
    expect([plain.stats.denoiser, withHeatmaps.stats.denoiser]).toEqual(['unpatched', 'patched']);
    expect(withHeatmaps.png).toEqual(plain.png); // the twin changes no pixel
    client.terminate();
  });

  it('takes the twin up again after a generation that stopped the background work', async () => {
    const { client, runs } = engine();
    await client.call('load', tiny('fp32')).done;
    await client.call('generate', { settings }).done; // at once: it stops the warm-up, before the twin opens
    await vi.waitFor(() => expect(runs.get('UNet (unmasked)')).toBeGreaterThanOrEqual(1), { timeout: 20_000 });
    const before = runs.get('UNet (unmasked)')!;
    await client.call('generate', { settings }).done;
    expect(runs.get('UNet (unmasked)')! - before).toBe(settings.steps);
    client.terminate();
  });

  it('after a crash, the generation in flight fails with the reason, and a fresh worker loads the model again and generates', async () => {
    const { client, workers } = engine();
    await client.call('load', tiny('fp32')).done;
    const running = client.call('generate', { settings: { ...settings, steps: 20 } });
    workers[0].crash('RuntimeError: Aborted(OOM)');
    await expect(running.done).rejects.toMatchObject({
      code: 'worker-crashed',
      message: expect.stringContaining('The engine worker crashed (RuntimeError: Aborted(OOM))'),
    });
    // The fresh worker has no model until the app loads it again (the engine slice does so on the crash).
    await expect(client.call('generate', { settings }).done).rejects.toMatchObject({ message: 'No model is loaded yet.' });
    expect(workers).toHaveLength(2);
    await client.call('load', tiny('fp32')).done;
    expect((await client.call('generate', { settings }).done).width).toBe(128);
    client.terminate();
  });
});
