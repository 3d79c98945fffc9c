// Two "tabs" (two library handlers over one store): one install per model at a time, and Delete never leaves verified files without chunks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubServer } from '../../scripts/hub-server/server.mjs';
import { MemoryModelStore } from '../storage/memoryModelStore';
import type { ModelStore } from '../storage/modelStore';
import { readStoredFile } from '../storage/storedModels';
import { UNET, startHubServer, tinyManifest } from '../storage/download/hubFixture.test-support';
import { libraryTab } from './libraryTab.test-support';

let hub: HubServer;
beforeAll(async () => {
  hub = await startHubServer();
});
afterAll(() => hub.close());

/** Every file record marked verified has all its chunks: what "installed" must mean. */
async function verifiedFilesAreWhole(store: ModelStore, modelId: string): Promise<void> {
  for (const record of await store.listFiles(modelId)) {
    if (record.verified) await expect(readStoredFile(store, modelId, record.path)).resolves.toHaveLength(record.storedBytes);
  }
}

const download = () => ({ manifest: tinyManifest(), variantIds: ['fp32'], hosts: { hubBase: hub.url } });

describe('one install per model across tabs', () => {
  it('a second tab installing the same model is refused while the first runs; the first completes intact', async () => {
    const store = new MemoryModelStore();
    const [a, b] = [libraryTab(store), libraryTab(store)];
    hub.setFaults([{ type: 'slow', path: UNET, bytesPerSecond: 4_000_000, times: 1 }]);
    const first = a.call('download', download()).done;
    await new Promise((done) => setTimeout(done, 200));
    await expect(b.call('download', download()).done).rejects.toMatchObject({
      message: expect.stringContaining('is already being installed or deleted'),
    });
    expect(await first).toMatchObject({ ready: true });
    await verifiedFilesAreWhole(store, 'tiny-sd-random');
  });

  it('Delete in another tab during the patch step waits for it, then removes everything; a re-download installs whole', async () => {
    const store = new MemoryModelStore();
    const [a, b] = [libraryTab(store), libraryTab(store)];
    let patching = () => {};
    const patchStarted = new Promise<void>((started) => (patching = started));
    const installing = a.call('download', download(), { onProgress: (p) => p.phase === 'patch' && patching() }).done;
    await patchStarted;
    await b.call('delete', { modelId: 'tiny-sd-random' }).done;
    await installing.catch(() => undefined); // it may answer before or after the delete: what matters is the store below
    expect(await store.listModels()).toEqual([]);
    expect(await store.listFiles('tiny-sd-random')).toEqual([]);
    expect(store.usedBytes()).toBe(0);

    expect(await b.call('download', download()).done).toMatchObject({ ready: true });
    await verifiedFilesAreWhole(store, 'tiny-sd-random');
  });
});
