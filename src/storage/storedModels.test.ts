// Reading models back from the store: chunk concatenation, readiness, listing sizes, delete, and the quota error shape.
import { describe, expect, it } from 'vitest';
import { MemoryModelStore } from './memoryModelStore';
import type { InstalledModelRecord, ModelStore, StoredFileRecord } from './modelStore';
import { formatBytes, isQuotaExceeded } from './storageQuota';
import {
  deleteInstalledModel,
  isModelReady,
  listInstalledModels,
  readStoredBytes,
  readStoredFile,
  readStoredFileBlob,
  readStoredFileInto,
  storedModelReader,
} from './storedModels';
import { tinyManifest } from './download/hubFixture.test-support';

const model = (id: string, files: string[]): InstalledModelRecord => ({
  id,
  name: id,
  manifest: tinyManifest(id),
  variantIds: ['fp32'],
  files,
  createdAt: 0,
});
const record = (modelId: string, path: string, change: Partial<StoredFileRecord> = {}): StoredFileRecord => ({
  modelId,
  path,
  storedBytes: 0,
  chunkCount: 0,
  verified: false,
  ...change,
});

/** Stores `bytes` as chunks of `chunk` bytes, the way the downloader does. */
async function storeFile(store: MemoryModelStore, modelId: string, path: string, bytes: Uint8Array, chunk: number, verified = true) {
  let current = record(modelId, path, { expectedSize: bytes.length });
  for (let offset = 0, index = 0; offset < bytes.length; offset += chunk, index++) {
    const part = bytes.slice(offset, offset + chunk);
    current = { ...current, storedBytes: current.storedBytes + part.length, chunkCount: index + 1 };
    await store.commitChunk(current, index, part);
  }
  await store.putFile({ ...current, verified });
}

const pattern = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * seed + 7) % 256);

describe('stored models', () => {
  it('reads a chunked file back whole, as bytes and as a Blob', async () => {
    const store = new MemoryModelStore();
    const bytes = pattern(1000, 13);
    await store.putModel(model('m', ['a.onnx']));
    await storeFile(store, 'm', 'a.onnx', bytes, 128);
    expect((await store.getFile('m', 'a.onnx'))?.chunkCount).toBe(8);
    expect(await readStoredFile(store, 'm', 'a.onnx')).toEqual(bytes);
    expect(new Uint8Array(await (await readStoredFileBlob(store, 'm', 'a.onnx')).arrayBuffer())).toEqual(bytes);
    expect(await storedModelReader(store, 'm').read('a.onnx')).toEqual(bytes);
  });

  it('reads a file into room it is given, chunk by chunk at the right offsets, directly where the store can', async () => {
    const store = new MemoryModelStore();
    const bytes = pattern(1000, 17);
    await store.putModel(model('m', ['a.onnx']));
    await storeFile(store, 'm', 'a.onnx', bytes, 128);
    // Room inside a larger buffer, as in a WebAssembly heap: nothing outside it may be written.
    const heap = new Uint8Array(1200).fill(0xee);
    const room = (size: number) => ({ view: () => heap.subarray(100, 100 + size), free: () => undefined });
    await readStoredFileInto(store, 'm', 'a.onnx', room); // Blobs: MemoryModelStore has no readChunkInto
    expect(heap.subarray(100, 1100)).toEqual(bytes);
    expect(heap.subarray(0, 100).every((b) => b === 0xee) && heap.subarray(1100).every((b) => b === 0xee)).toBe(true);

    heap.fill(0);
    const direct: number[] = [];
    // A store that reads odd chunks itself (as OPFS does by sync access) and leaves the others to their Blobs.
    (store as ModelStore).readChunkInto = async (modelId, path, index, into) => {
      if (index % 2 === 0) return undefined;
      const chunk = new Uint8Array(await (await store.getChunk(modelId, path, index))!.arrayBuffer());
      into().set(chunk);
      direct.push(index);
      return chunk.length;
    };
    await readStoredFileInto(store, 'm', 'a.onnx', room);
    expect(heap.subarray(100, 1100)).toEqual(bytes);
    expect(direct).toEqual([1, 3, 5, 7]);
  });

  it('frees the room when a read fails, and reads nothing into room for a file that is not verified', async () => {
    const store = new MemoryModelStore();
    await store.putModel(model('m', ['a.onnx', 'b.onnx']));
    await storeFile(store, 'm', 'a.onnx', pattern(300, 3), 128);
    await storeFile(store, 'm', 'b.onnx', pattern(300, 5), 128, false);
    let freed = 0;
    let made = 0;
    const room = (size: number) => {
      made += 1;
      const bytes = new Uint8Array(size);
      return { view: () => bytes, free: () => void (freed += 1) };
    };
    (store as ModelStore).readChunkInto = async (_m, _p, index) => (index === 1 ? 5 : undefined); // chunk 1 came back short
    await expect(readStoredFileInto(store, 'm', 'a.onnx', room)).rejects.toThrow(/chunk 1 changed size/);
    expect(freed).toBe(1);
    await expect(readStoredFileInto(store, 'm', 'b.onnx', room)).rejects.toThrow(/did not verify/);
    expect(made).toBe(1);
  });

  it('reads a file larger than one Blob read allows in parts, into one buffer with the same bytes', async () => {
    const store = new MemoryModelStore();
    const bytes = pattern(1000, 17);
    await store.putModel(model('m', ['big.bin']));
    await storeFile(store, 'm', 'big.bin', bytes, 128);
    const stored = (await store.getFile('m', 'big.bin'))!;
    // Over wholeMax: parts of at most partBytes (two 128-byte chunks in 300, one in 128); under it: one read.
    for (const partBytes of [300, 128]) expect(await readStoredBytes(store, stored, { wholeMax: 999, partBytes })).toEqual(bytes);
    expect(await readStoredBytes(store, stored, { wholeMax: 1000 })).toEqual(bytes);
  });

  it('is ready only when every file verified, and refuses to read an unverified file', async () => {
    const store = new MemoryModelStore();
    await store.putModel(model('m', ['a.onnx', 'b.onnx']));
    await storeFile(store, 'm', 'a.onnx', pattern(300, 3), 100);
    await storeFile(store, 'm', 'b.onnx', pattern(300, 5), 100, false);
    expect(await isModelReady(store, 'm')).toBe(false);
    await expect(readStoredFile(store, 'm', 'b.onnx')).rejects.toThrow(
      'Model file b.onnx of m is not usable: its download has not finished or did not verify.',
    );
    await expect(readStoredFile(store, 'm', 'c.onnx')).rejects.toThrow('it is not in the model store');
    await store.putFile({ ...(await store.getFile('m', 'b.onnx'))!, verified: true });
    expect(await isModelReady(store, 'm')).toBe(true);
    expect(await isModelReady(store, 'missing')).toBe(false);
  });

  it('notices a missing chunk instead of returning short bytes', async () => {
    const store = new MemoryModelStore();
    await storeFile(store, 'm', 'a.onnx', pattern(300, 3), 100);
    await store.putFile({ ...(await store.getFile('m', 'a.onnx'))!, chunkCount: 4, storedBytes: 400 });
    await expect(readStoredFile(store, 'm', 'a.onnx')).rejects.toThrow('chunk 3 is missing from storage');
  });

  it('lists installed models with their sizes, and deleting one frees its chunks only', async () => {
    const store = new MemoryModelStore();
    await store.putModel(model('b-model', ['x.onnx']));
    await store.putModel(model('a-model', ['x.onnx', 'y.json']));
    await storeFile(store, 'a-model', 'x.onnx', pattern(500, 3), 200);
    await storeFile(store, 'a-model', 'y.json', pattern(20, 3), 200, false);
    await storeFile(store, 'b-model', 'x.onnx', pattern(700, 9), 200);

    expect(await listInstalledModels(store)).toEqual([
      {
        id: 'a-model',
        name: 'a-model',
        variantIds: ['fp32'],
        ready: false,
        readyVariantIds: [],
        fileCount: 2,
        verifiedFiles: 1,
        storedBytes: 520,
        totalBytes: 520,
      },
      {
        id: 'b-model',
        name: 'b-model',
        variantIds: ['fp32'],
        ready: true,
        readyVariantIds: [],
        fileCount: 1,
        verifiedFiles: 1,
        storedBytes: 700,
        totalBytes: 700,
      },
    ]);
    expect(store.usedBytes()).toBe(1220);
    await deleteInstalledModel(store, 'a-model');
    expect(store.usedBytes()).toBe(700);
    expect(await store.listFiles('a-model')).toEqual([]);
    expect((await listInstalledModels(store)).map((m) => m.id)).toEqual(['b-model']);
    expect(await readStoredFile(store, 'b-model', 'x.onnx')).toEqual(pattern(700, 9));
  });

  it('a simulated full disk rejects the chunk with a QuotaExceededError and keeps the record as it was', async () => {
    const store = new MemoryModelStore({ quotaBytes: 250 });
    await storeFile(store, 'm', 'a.onnx', pattern(200, 3), 100, false);
    const before = await store.getFile('m', 'a.onnx');
    const error = await store.commitChunk({ ...before!, storedBytes: 300, chunkCount: 3 }, 2, pattern(100, 1)).catch((e: unknown) => e);
    expect(isQuotaExceeded(error)).toBe(true);
    expect(await store.getFile('m', 'a.onnx')).toEqual(before);
    expect(store.usedBytes()).toBe(200);
  });

  it('formats sizes the way the messages show them', () => {
    expect([formatBytes(0), formatBytes(1023), formatBytes(1536), formatBytes(5_517_185), formatBytes(2.5 * 2 ** 30)]).toEqual([
      '0 B',
      '1023 B',
      '1.5 KB',
      '5.3 MB',
      '2.5 GB',
    ]);
  });
});
