// The library worker's handler over the in-memory store and the hub test server: install with progress, pause, list, refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubServer } from '../../scripts/hub-server/server.mjs';
import { MemoryModelStore } from '../storage/memoryModelStore';
import { UNET, startHubServer, tinyManifest } from '../storage/download/hubFixture.test-support';
import { libraryTab } from './libraryTab.test-support';

let hub: HubServer;
beforeAll(async () => {
  hub = await startHubServer({ repos: { 'test-org/tiny-sd': 'public/models/tiny-sd', 'test-org/manifests': 'models/manifests' } });
});
afterAll(() => hub.close());

function harness() {
  const store = new MemoryModelStore();
  return { store, library: libraryTab(store) };
}

describe('library handler', () => {
  it('downloads with progress, patches the denoiser, and lists the model as ready with MaskDiffusion', async () => {
    const { library } = harness();
    const phases: string[] = [];
    const installed = await library.call(
      'download',
      { manifest: tinyManifest(), variantIds: ['int8'], hosts: { hubBase: hub.url } },
      { onProgress: (p) => phases.push(p.phase) },
    ).done;
    expect(phases[0]).toBe('download');
    expect(phases.at(-1)).toBe('patch');
    expect(installed).toMatchObject({ id: 'tiny-sd-random', readyVariantIds: ['int8'], attentionControl: { state: 'patched' } });
    expect(await library.call('list', undefined).done).toMatchObject([{ id: 'tiny-sd-random', ready: true }]);
  });

  it('pauses a running download, which then resumes from what is stored', async () => {
    const { library, store } = harness();
    hub.setFaults([{ type: 'slow', path: UNET, bytesPerSecond: 1_000_000, times: 1 }]);
    const running = library.call('download', { manifest: tinyManifest(), variantIds: ['fp32'], hosts: { hubBase: hub.url } }).done;
    await new Promise((done) => setTimeout(done, 1200));
    const paused = expect(running).rejects.toMatchObject({ code: 'cancelled', message: `Download of ${tinyManifest().name} paused.` });
    await library.call('pause', { modelId: 'tiny-sd-random' }).done;
    await paused;
    expect((await store.getFile('tiny-sd-random', UNET))?.storedBytes).toBeGreaterThan(0);
    const resumed = await library.call('resume', { modelId: 'tiny-sd-random', hosts: { hubBase: hub.url } }).done;
    expect(resumed).toMatchObject({ readyVariantIds: ['fp32'] });
  });

  it('adds a manifest published on the hub, and says why a JSON file is not one', async () => {
    const { library } = harness();
    const manifest = await library.call('fetchManifest', {
      url: `${hub.url}/test-org/manifests/resolve/main/sd15-webnn.json`,
      hosts: { hubBase: hub.url },
    }).done;
    expect(manifest).toMatchObject({ id: 'sd15-webnn', repo: 'microsoft/stable-diffusion-v1.5-webnn' });
    const notManifest = `${hub.url}/test-org/tiny-sd/resolve/main/tokenizer/tokenizer_config.json`;
    await expect(library.call('fetchManifest', { url: notManifest, hosts: { hubBase: hub.url } }).done).rejects.toMatchObject({
      message: expect.stringContaining(`The model manifest from ${notManifest} is not usable: "id" must be 1-80 letters`),
    });
  });

  it('refuses a manifest URL on a host that is neither the hub nor the mirror, before sending anything', async () => {
    const { library } = harness();
    const foreign = hub.url.replace('127.0.0.1', 'localhost');
    await expect(
      library.call('fetchManifest', { url: `${foreign}/test-org/tiny-sd/resolve/main/manifest.json`, hosts: { hubBase: hub.url } }).done,
    ).rejects.toMatchObject({
      message: expect.stringContaining(`Refused to download from ${foreign}`),
    });
  });
});
