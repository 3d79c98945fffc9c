// Two "tabs" (two library handlers over one store): one install per model at a time, and Delete never leaves verified files without chunks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubServer } from '../../scripts/hub-server/server.mjs';
import type { LibraryResponse } from '../shared/libraryProtocol';
import { MemoryModelStore } from '../storage/memoryModelStore';
import type { ModelStore } from '../storage/modelStore';
import { readStoredFile } from '../storage/storedModels';
import { TEST_CHUNK_BYTES, UNET, startHubServer, tinyManifest } from '../storage/download/hubFixture.test-support';
import { createLibraryHandler } from './libraryHandler';

let hub: HubServer;
beforeAll(async () => {
  hub = await startHubServer();
});
afterAll(() => hub.close());

function tab(store: ModelStore) {
  const messages: LibraryResponse[] = [];
  const handle = createLibraryHandler((m) => messages.push(m), store, { chunkBytes: TEST_CHUNK_BYTES, retryDelayMs: 5, storageUsage: async () => ({}) });
  return { messages, handle, last: (id: number) => messages.filter((m) => m.id === id).at(-1) };
}

/** Every file record marked verified has all its chunks: what "installed" must mean. */
async function verifiedFilesAreWhole(store: ModelStore, modelId: string): Promise<void> {
  for (const record of await store.listFiles(modelId)) {
    if (record.verified) await expect(readStoredFile(store, modelId, record.path)).resolves.toHaveLength(record.storedBytes);
  }
}

const download = (id: number) => ({ type: 'download' as const, id, manifest: tinyManifest(), variantIds: ['fp32'], hosts: { hubBase: hub.url } });

describe('one install per model across tabs', () => {
  it('a second tab installing the same model is refused while the first runs; the first completes intact', async () => {
    const store = new MemoryModelStore();
    const [a, b] = [tab(store), tab(store)];
    hub.setFaults([{ type: 'slow', path: UNET, bytesPerSecond: 4_000_000, times: 1 }]);
    const first = a.handle(download(1));
    await new Promise((done) => setTimeout(done, 200));
    await b.handle(download(1));
    expect(b.last(1)).toMatchObject({ type: 'error', error: { message: expect.stringContaining('is already being installed or deleted') } });
    await first;
    expect(a.last(1)).toMatchObject({ type: 'installed', model: { ready: true } });
    await verifiedFilesAreWhole(store, 'tiny-sd-random');
  });

  it('Delete in another tab during the patch step waits for it, then removes everything; a re-download installs whole', async () => {
    const store = new MemoryModelStore();
    const [a, b] = [tab(store), tab(store)];
    const installing = a.handle(download(1));
    await new Promise<void>((done) => {
      const poll = setInterval(() => {
        if (a.messages.some((m) => m.type === 'progress' && m.phase === 'patch')) {
          clearInterval(poll);
          done();
        }
      }, 1);
    });
    await b.handle({ type: 'delete', id: 2, modelId: 'tiny-sd-random' });
    await installing;
    expect(b.last(2)).toMatchObject({ type: 'done' });
    expect(await store.listModels()).toEqual([]);
    expect(await store.listFiles('tiny-sd-random')).toEqual([]);
    expect(store.usedBytes()).toBe(0);

    await b.handle(download(3));
    expect(b.last(3)).toMatchObject({ type: 'installed', model: { ready: true } });
    await verifiedFilesAreWhole(store, 'tiny-sd-random');
  });
});
