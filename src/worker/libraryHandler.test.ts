// The library worker's handler over the in-memory store and the hub test server: install with progress, pause, list, refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubServer } from '../../scripts/hub-server/server.mjs';
import type { LibraryResponse } from '../shared/libraryProtocol';
import { MemoryModelStore } from '../storage/memoryModelStore';
import { TEST_CHUNK_BYTES, UNET, startHubServer, tinyManifest } from '../storage/download/hubFixture.test-support';
import { createLibraryHandler } from './libraryHandler';

let hub: HubServer;
beforeAll(async () => {
  hub = await startHubServer({ repos: { 'test-org/tiny-sd': 'public/models/tiny-sd', 'test-org/manifests': 'models/manifests' } });
});
afterAll(() => hub.close());

function harness() {
  const messages: LibraryResponse[] = [];
  const store = new MemoryModelStore();
  const handle = createLibraryHandler((m) => messages.push(m), store, { chunkBytes: TEST_CHUNK_BYTES, retryDelayMs: 5, storageUsage: async () => ({}) });
  const last = (id: number) => messages.filter((m) => m.id === id).at(-1);
  return { messages, store, handle, last };
}

describe('library handler', () => {
  it('downloads with progress, patches the denoiser, and lists the model as ready with MaskDiffusion', async () => {
    const { messages, handle, last } = harness();
    await handle({ type: 'download', id: 1, manifest: tinyManifest(), variantIds: ['int8'], hosts: { hubBase: hub.url } });
    const phases = messages.filter((m) => m.type === 'progress').map((m) => (m.type === 'progress' ? m.phase : ''));
    expect(phases[0]).toBe('download');
    expect(phases.at(-1)).toBe('patch');
    const installed = last(1);
    expect(installed).toMatchObject({ type: 'installed', model: { id: 'tiny-sd-random', readyVariantIds: ['int8'], attentionControl: { state: 'patched' } } });
    await handle({ type: 'list', id: 2 });
    expect(last(2)).toMatchObject({ type: 'listed', models: [{ id: 'tiny-sd-random', ready: true }] });
  });

  it('pauses a running download, which then resumes from what is stored', async () => {
    const { handle, last, store } = harness();
    hub.setFaults([{ type: 'slow', path: UNET, bytesPerSecond: 1_000_000, times: 1 }]);
    const running = handle({ type: 'download', id: 1, manifest: tinyManifest(), variantIds: ['fp32'], hosts: { hubBase: hub.url } });
    await new Promise((done) => setTimeout(done, 1200));
    await handle({ type: 'pause', id: 2, modelId: 'tiny-sd-random' });
    await running;
    expect(last(1)).toMatchObject({ type: 'error', error: { code: 'cancelled', message: 'Download of Tiny SD (random weights) paused.' } });
    expect((await store.getFile('tiny-sd-random', UNET))?.storedBytes).toBeGreaterThan(0);
    await handle({ type: 'resume', id: 3, modelId: 'tiny-sd-random', hosts: { hubBase: hub.url } });
    expect(last(3)).toMatchObject({ type: 'installed', model: { readyVariantIds: ['fp32'] } });
  });

  it('adds a manifest published on the hub, and says why a JSON file is not one', async () => {
    const { handle, last } = harness();
    await handle({ type: 'fetch-manifest', id: 1, url: `${hub.url}/test-org/manifests/resolve/main/sd15-webnn.json`, hosts: { hubBase: hub.url } });
    expect(last(1)).toMatchObject({ type: 'manifest', manifest: { id: 'sd15-webnn', repo: 'microsoft/stable-diffusion-v1.5-webnn' } });
    const notManifest = `${hub.url}/test-org/tiny-sd/resolve/main/tokenizer/tokenizer_config.json`;
    await handle({ type: 'fetch-manifest', id: 2, url: notManifest, hosts: { hubBase: hub.url } });
    expect(last(2)).toMatchObject({ type: 'error', error: { message: expect.stringContaining(`The model manifest from ${notManifest} is not usable: "id" must be 1-80 letters`) } });
  });

  it('refuses a manifest URL on a host that is neither the hub nor the mirror, before sending anything', async () => {
    const { handle, last } = harness();
    const foreign = hub.url.replace('127.0.0.1', 'localhost');
    await handle({ type: 'fetch-manifest', id: 1, url: `${foreign}/test-org/tiny-sd/resolve/main/manifest.json`, hosts: { hubBase: hub.url } });
    expect(last(1)).toMatchObject({ type: 'error', error: { message: expect.stringContaining(`Refused to download from ${foreign}`) } });
  });
});
