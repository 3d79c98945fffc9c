// Models installed before file bytes moved to OPFS (their chunks IndexedDB Blobs) keep working: read, used, deleted.
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { MODEL_DB_NAME } from '../src/storage/idbModelStore';
import { opfsName } from '../src/storage/opfsChunkFiles';
import { LibraryPage, TINY_ID, hub } from './libraryPage';
import { StudioPage } from './studioPage';

const expect = baseExpect.configure({ timeout: 30_000 });

test.beforeEach(() => hub.reset());

interface StoreNames {
  db: string;
  modelId: string;
  opfsStore: string;
  opfsModel: string;
}
const names: StoreNames = { db: MODEL_DB_NAME, modelId: TINY_ID, opfsStore: opfsName(MODEL_DB_NAME), opfsModel: opfsName(TINY_ID) };

/**
 * Rewrites an OPFS install into the layout of the IndexedDB-only store (idbModelStore.ts keys): each file's chunks
 * become ['chunk', model, path, index] Blobs, its ['bytes', model, path] location goes, and its OPFS folder too.
 * Returns how many files were moved.
 */
function toLegacyLayout(page: Page): Promise<number> {
  return page.evaluate(async (n: StoreNames) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(n.db);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    // A transaction per read: one would commit as soon as this code awaits something else (OPFS).
    const request = <T>(make: (s: IDBObjectStore) => IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        const r = make(db.transaction('entries').objectStore('entries'));
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const range = IDBKeyRange.bound(['bytes', n.modelId], ['bytes', n.modelId, []]);
    const keys = (await request((s) => s.getAllKeys(range))) as [string, string, string][];
    const locations = (await request((s) => s.getAll(range))) as { dir: string }[];
    const modelDir = await (await (await navigator.storage.getDirectory()).getDirectoryHandle(n.opfsStore)).getDirectoryHandle(n.opfsModel);
    const moves: { path: string; chunks: Blob[] }[] = [];
    for (const [i, [, , path]] of keys.entries()) {
      const record = (await request((s) => s.get(['file', n.modelId, path]))) as { chunkCount: number };
      const dir = await modelDir.getDirectoryHandle(locations[i].dir);
      const chunks: Blob[] = [];
      for (let index = 0; index < record.chunkCount; index++) {
        // Copied into memory: the OPFS files are removed below, and a File read after that would fail.
        chunks.push(new Blob([await (await (await dir.getFileHandle(String(index))).getFile()).arrayBuffer()]));
      }
      moves.push({ path, chunks });
    }
    const write = db.transaction('entries', 'readwrite');
    const entries = write.objectStore('entries');
    for (const { path, chunks } of moves) {
      chunks.forEach((blob, index) => entries.put(blob, ['chunk', n.modelId, path, index]));
      entries.delete(['bytes', n.modelId, path]);
    }
    await new Promise((resolve, reject) => ((write.oncomplete = resolve), (write.onerror = () => reject(write.error))));
    db.close();
    await (await (await navigator.storage.getDirectory()).getDirectoryHandle(n.opfsStore)).removeEntry(n.opfsModel, { recursive: true });
    return moves.length;
  }, names);
}

/** Counts the model's chunk Blobs in IndexedDB and whether it has an OPFS folder. */
function storedLayout(page: Page): Promise<{ idbChunks: number; opfsFolder: boolean }> {
  return page.evaluate(async (n: StoreNames) => {
    const db = await new Promise<IDBDatabase>((resolve) => {
      const open = indexedDB.open(n.db);
      open.onsuccess = () => resolve(open.result);
    });
    const count = db.transaction('entries').objectStore('entries').count(IDBKeyRange.bound(['chunk', n.modelId], ['chunk', n.modelId, []]));
    const idbChunks = await new Promise<number>((resolve) => (count.onsuccess = () => resolve(count.result)));
    db.close();
    const store = await (await navigator.storage.getDirectory()).getDirectoryHandle(n.opfsStore).catch(() => undefined);
    const opfsFolder = Boolean(await store?.getDirectoryHandle(n.opfsModel).catch(() => undefined));
    return { idbChunks, opfsFolder };
  }, names);
}

test('a model whose chunks are IndexedDB Blobs (installed before OPFS) still loads, generates and deletes', async ({ page }) => {
  const studio = new StudioPage(page);
  const library = new LibraryPage(page);
  await studio.open();
  await studio.waitReady();
  await library.open();
  await library.useHub();
  await library.install('fp32');
  expect(await storedLayout(page)).toEqual({ idbChunks: 0, opfsFolder: true }); // new installs keep their bytes in OPFS

  expect(await toLegacyLayout(page)).toBe(5);
  const legacy = await storedLayout(page);
  expect(legacy.opfsFolder).toBe(false);
  expect(legacy.idbChunks).toBeGreaterThanOrEqual(5);

  await page.reload();
  await studio.waitReady();
  await library.open();
  await expect(library.installed()).toContainText('5/5 files verified');
  await library.use();
  await expect(page.getByTestId('model-notice')).toContainText('Tiny SD (random weights)');
  await studio.fill({ steps: 2, seed: 3 });
  await studio.generate();

  await page.getByTestId(`delete-${TINY_ID}`).click();
  await expect(library.installed()).toHaveCount(0);
  await expect.poll(() => storedLayout(page)).toEqual({ idbChunks: 0, opfsFolder: false });
});
