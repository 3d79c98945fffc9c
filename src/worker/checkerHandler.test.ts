// The checker worker's handlers in Node, called through the RPC: status, install (the bundled test model, from the app's files), load, score, cancel.
import { encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubServer } from '../../scripts/hub-server/server.mjs';
import { startHubServer } from '../../scripts/hub-server/server.mjs';
import { MemoryModelStore } from '../storage/memoryModelStore';
import type { CheckerApi, CheckerProgress } from '../shared/checkerProtocol';
import { RpcClient } from '../shared/rpc';
import { channelWorker } from '../shared/rpcChannel.test-support';
import type { ModelStore } from '../storage/modelStore';
import { checkerError, createCheckerHandlers } from './checkerHandler';

/** A checker worker in this process over the given store, running transformers.js on the CPU. */
function checkerWorker(store: ModelStore): RpcClient<CheckerApi> {
  const handlers = createCheckerHandlers({ store: () => store, adapterFeatures: async () => null, device: 'cpu' });
  return new RpcClient<CheckerApi>({
    name: 'checker',
    start: () => channelWorker<CheckerApi>(handlers, checkerError),
    silenceTimeoutMs: { status: 30_000, install: null, load: 60_000, score: 60_000 },
    crashRemedy: 'Try again.',
  });
}

/** A 128x128 PNG, left half red and right half blue (or the reverse). */
function png(redLeft: boolean): Uint8Array {
  const data = new Uint8Array(128 * 128 * 3);
  for (let y = 0; y < 128; y++)
    for (let x = 0; x < 128; x++) data.set(x < 64 === redLeft ? [230, 20, 20] : [20, 20, 230], (y * 128 + x) * 3);
  return encode({ width: 128, height: 128, data, channels: 3, depth: 8 });
}

describe('checker worker handler', () => {
  let app: HubServer;
  const checker = checkerWorker(new MemoryModelStore());
  const hosts = { hubBase: 'https://huggingface.co' };
  /** Calls a method and returns its reply and the progress seen on the way. */
  const send = async <M extends keyof CheckerApi & string>(method: M, req: CheckerApi[M]['req']) => {
    const progress: CheckerProgress[] = [];
    const reply = await checker.call(method, req, { onProgress: (p: CheckerProgress) => progress.push(p) }).done;
    return { reply, progress };
  };

  beforeAll(async () => {
    // Stands in for the app's own origin, which serves public/ (the hub server's resolve URLs redirect to the bytes).
    app = await startHubServer({ repos: { 'app/origin': 'public' } });
  });
  afterAll(() => {
    checker.terminate();
    return app.close();
  });

  it('installs the bundled test VLM into the store, then loads and scores it from there', async () => {
    const before = await send('status', { modelId: 'tiny-smolvlm-random', hosts, device: 'auto' });
    expect(before.reply).toMatchObject({ installed: false, variant: 'fp32' });
    expect(before.reply.missing).toContain('config.json');

    const install = await send('install', {
      modelId: 'tiny-smolvlm-random',
      hosts,
      device: 'auto',
      appBaseUrl: `${app.url}/app/origin/resolve/main/`,
    });
    expect(install.reply.files).toContain('onnx/decoder_model_merged.onnx');
    expect(install.progress.at(-1)).toMatchObject({ label: 'Installed' });
    expect((await send('status', { modelId: 'tiny-smolvlm-random', hosts, device: 'auto' })).reply).toMatchObject({
      installed: true,
      missing: [],
    });

    await app.close(); // from here on only the store has the model
    const loaded = await send('load', { modelId: 'tiny-smolvlm-random', hosts, device: 'auto' });
    expect(loaded.reply).toMatchObject({ kind: 'vlm', device: 'cpu', variant: 'fp32', randomWeights: true });

    const questions = ['Is the left half more red than the right half?', 'Is there a cat?'];
    const a = await send('score', { png: png(true), questions });
    const b = await send('score', { png: png(false), questions });
    expect(a.reply.scores.map((s) => s.question)).toEqual(questions);
    expect(a.progress.map((p) => p.done)).toEqual([0, 1, 2]);
    expect(a.reply.scores[0].pYes).not.toBe(b.reply.scores[0].pYes);
    expect(a.reply.scores[0].evidence?.yesTokenId).toBe(loaded.reply.answerTokens?.yes);
  });

  it('switches to the rule checker and cancels a scoring run', async () => {
    await send('load', { modelId: 'rules', hosts, device: 'auto' });
    const scored = await send('score', { png: png(true), questions: ['Is the left half more red than the right half?'] });
    expect(scored.reply.scores[0].pYes).toBeGreaterThan(0.95);

    const run = checker.call('score', { png: png(true), questions: Array.from({ length: 2000 }, (_, i) => `Is the top half red? (${i})`) });
    run.cancel();
    await expect(run.done).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('names the model, the cause and a remedy when loading fails', async () => {
    const fresh = checkerWorker(new MemoryModelStore());
    const error = await fresh.call('load', { modelId: 'smolvlm-256m-instruct', hosts, device: 'auto' }).done.catch((e: unknown) => e);
    expect(error).toMatchObject({
      message: expect.stringMatching(/SmolVLM-256M-Instruct is not installed in the model store \(missing config\.json/),
      remedy: expect.stringMatching(/Install/),
    });
    fresh.terminate();
  });
});
