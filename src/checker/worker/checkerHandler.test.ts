// The checker worker's handler in Node: status, install (the bundled test model, from the app's files), load, score, cancel.
import { encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubServer } from '../../../scripts/hub-server/server.mjs';
import { startHubServer } from '../../../scripts/hub-server/server.mjs';
import { MemoryModelStore } from '../../storage/memoryModelStore';
import { createCheckerHandler } from './checkerHandler';
import type { CheckerRequest, CheckerResponse } from './checkerProtocol';

/** A 128x128 PNG, left half red and right half blue (or the reverse). */
function png(redLeft: boolean): Uint8Array {
  const data = new Uint8Array(128 * 128 * 3);
  for (let y = 0; y < 128; y++) for (let x = 0; x < 128; x++) data.set((x < 64) === redLeft ? [230, 20, 20] : [20, 20, 230], (y * 128 + x) * 3);
  return encode({ width: 128, height: 128, data, channels: 3, depth: 8 });
}

describe('checker worker handler', () => {
  let app: HubServer;
  const messages: CheckerResponse[] = [];
  const store = new MemoryModelStore();
  const handle = createCheckerHandler((m) => messages.push(m), { store: () => store, adapterFeatures: async () => null, device: 'cpu' });
  const hosts = { hubBase: 'https://huggingface.co' };
  let nextId = 1;
  /** Sends a request and returns its final reply and the progress seen on the way. */
  const send = async <T extends CheckerResponse['type']>(make: (id: number) => CheckerRequest) => {
    const request = make(nextId++);
    await handle(request);
    const mine = messages.filter((m) => m.id === request.id);
    return { reply: mine.at(-1) as Extract<CheckerResponse, { type: T }>, progress: mine.filter((m) => m.type === 'progress') };
  };

  beforeAll(async () => {
    // Stands in for the app's own origin, which serves public/ (the hub server's resolve URLs redirect to the bytes).
    app = await startHubServer({ repos: { 'app/origin': 'public' } });
  });
  afterAll(() => app.close());

  it('installs the bundled test VLM into the store, then loads and scores it from there', async () => {
    const before = await send<'status'>((id) => ({ type: 'status', id, modelId: 'tiny-smolvlm-random', hosts, device: 'auto' }));
    expect(before.reply).toMatchObject({ type: 'status', installed: false, variant: 'fp32' });
    expect(before.reply.missing).toContain('config.json');

    const install = await send<'installed'>((id) => ({ type: 'install', id, modelId: 'tiny-smolvlm-random', hosts, device: 'auto', appBaseUrl: `${app.url}/app/origin/resolve/main/` }));
    expect(install.reply.type).toBe('installed');
    expect(install.reply.files).toContain('onnx/decoder_model_merged.onnx');
    expect(install.progress.at(-1)).toMatchObject({ label: 'Installed' });
    expect((await send<'status'>((id) => ({ type: 'status', id, modelId: 'tiny-smolvlm-random', hosts, device: 'auto' }))).reply).toMatchObject({ installed: true, missing: [] });

    await app.close(); // from here on only the store has the model
    const loaded = await send<'loaded'>((id) => ({ type: 'load', id, modelId: 'tiny-smolvlm-random', hosts, device: 'auto' }));
    expect(loaded.reply.type).toBe('loaded');
    expect(loaded.reply.info).toMatchObject({ kind: 'vlm', device: 'cpu', variant: 'fp32', randomWeights: true });

    const questions = ['Is the left half more red than the right half?', 'Is there a cat?'];
    const a = await send<'scores'>((id) => ({ type: 'score', id, png: png(true), questions }));
    const b = await send<'scores'>((id) => ({ type: 'score', id, png: png(false), questions }));
    expect(a.reply.scores.map((s) => s.question)).toEqual(questions);
    expect(a.progress.map((p) => p.done)).toEqual([0, 1, 2]);
    expect(a.reply.scores[0].pYes).not.toBe(b.reply.scores[0].pYes);
    expect(a.reply.scores[0].evidence?.yesTokenId).toBe(loaded.reply.info.answerTokens?.yes);
  });

  it('switches to the rule checker and cancels a scoring run', async () => {
    await send((id) => ({ type: 'load', id, modelId: 'rules', hosts, device: 'auto' }));
    const scored = await send<'scores'>((id) => ({ type: 'score', id, png: png(true), questions: ['Is the left half more red than the right half?'] }));
    expect(scored.reply.scores[0].pYes).toBeGreaterThan(0.95);

    const id = nextId++;
    const run = handle({ type: 'score', id, png: png(true), questions: Array.from({ length: 2000 }, (_, i) => `Is the top half red? (${i})`) });
    await handle({ type: 'cancel', id: nextId++, targetId: id });
    await run;
    expect(messages.filter((m) => m.id === id).at(-1)).toMatchObject({ type: 'error', error: { code: 'cancelled' } });
  });

  it('names the model, the cause and a remedy when loading fails', async () => {
    const fresh = createCheckerHandler((m) => messages.push(m), { store: () => new MemoryModelStore(), adapterFeatures: async () => null, device: 'cpu' });
    const id = nextId++;
    await fresh({ type: 'load', id, modelId: 'smolvlm-256m-instruct', hosts, device: 'auto' });
    const reply = messages.filter((m) => m.id === id).at(-1) as Extract<CheckerResponse, { type: 'error' }>;
    expect(reply.error.message).toMatch(/SmolVLM-256M-Instruct is not installed in the model store \(missing config\.json/);
    expect(reply.error.remedy).toMatch(/Install/);
  });
});
