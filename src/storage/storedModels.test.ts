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
  OPEN_CHUNKS_AT_ONCE,
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

/**
 * Gives the store openChunks over its own chunks (standing in for OPFS sync access, which needs a browser worker: the
 * e2e library test checks that path) for the batches `opens` accepts; chunk `short` reads 5 bytes. Counts readers.
 */
function withChunkReaders(store: MemoryModelStore, opens: (first: number) => boolean, short = -1) {
  const log = { batches: [] as number[], read: 0, open: 0 };
  (store as ModelStore).openChunks = async (modelId, path, first, count) => {
    if (!opens(first)) return undefined;
    log.batches.push(first);
    const chunks = await Promise.all(Array.from({ length: count }, (_, i) => store.getChunk(modelId, path, first + i)));
    const readers = await Promise.all(chunks.map(async (chunk) => new Uint8Array(await chunk!.arrayBuffer())));
    log.open += count;
    return readers.map((bytes, i) => ({
      size: bytes.length,
      readInto(into: Uint8Array) {
        const read = first + i === short ? 5 : bytes.length;
        into.set(bytes.subarray(0, read));
        log.read += 1;
        return read;
      },
      close: () => void (log.open -= 1),
    }));
  };
  return log;
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

  it('reads a file into room it is given, at the right offsets: by sync readers where the store opens them, else Blobs', async () => {
    const store = new MemoryModelStore();
    const bytes = pattern(1000, 17);
    await store.putModel(model('m', ['a.onnx']));
    await storeFile(store, 'm', 'a.onnx', bytes, 32); // 32 chunks: two batches of OPEN_CHUNKS_AT_ONCE
    // Room inside a larger buffer, as in a WebAssembly heap: nothing outside it may be written.
    const heap = new Uint8Array(1200).fill(0xee);
    const room = (size: number) => ({ view: () => heap.subarray(100, 100 + size), free: () => undefined });
    const untouchedAround = () => heap.subarray(0, 100).every((b) => b === 0xee) && heap.subarray(1100).every((b) => b === 0xee);
    await readStoredFileInto(store, 'm', 'a.onnx', room); // Blobs: MemoryModelStore has no openChunks
    expect(heap.subarray(100, 1100)).toEqual(bytes);
    expect(untouchedAround()).toBe(true);

    heap.subarray(100, 1100).fill(0);
    // A store that opens the second batch itself (as OPFS does by sync access) and leaves the first to its Blobs.
    const readers = withChunkReaders(store, (first) => first === OPEN_CHUNKS_AT_ONCE);
    await readStoredFileInto(store, 'm', 'a.onnx', room);
    expect(heap.subarray(100, 1100)).toEqual(bytes);
    expect(untouchedAround()).toBe(true);
    expect(readers.batches).toEqual([OPEN_CHUNKS_AT_ONCE]);
    expect([readers.read, readers.open]).toEqual([OPEN_CHUNKS_AT_ONCE, 0]);
  });

  it('reads a whole file by sync readers where the store opens them, else as one Blob', async () => {
    const store = new MemoryModelStore();
    const bytes = pattern(1000, 19);
    await store.putModel(model('m', ['a.onnx']));
    await storeFile(store, 'm', 'a.onnx', bytes, 32);
    const none = withChunkReaders(store, () => false);
    expect(await readStoredFile(store, 'm', 'a.onnx')).toEqual(bytes);
    expect(none.batches).toEqual([]);
    const all = withChunkReaders(store, () => true);
    expect(await readStoredFile(store, 'm', 'a.onnx')).toEqual(bytes);
    expect([all.batches, all.read, all.open]).toEqual([[0, OPEN_CHUNKS_AT_ONCE], 32, 0]);
  });

  it('frees the room and closes every reader when a read fails, and reads nothing for a file that is not verified', async () => {
    const store = new MemoryModelStore();
    await store.putModel(model('m', ['a.onnx', 'b.onnx']));
    await storeFile(store, 'm', 'a.onnx', pattern(1000, 3), 16); // 63 chunks: four batches
    await storeFile(store, 'm', 'b.onnx', pattern(300, 5), 128, false);
    let freed = 0;
    let made = 0;
    const room = (size: number) => {
      made += 1;
      const bytes = new Uint8Array(size);
      return { view: () => bytes, free: () => void (freed += 1) };
    };
    const readers = withChunkReaders(store, () => true, 3); // chunk 3 comes back short
    await expect(readStoredFileInto(store, 'm', 'a.onnx', room)).rejects.toThrow(/chunk 3 changed size/);
    expect(freed).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 10)); // the next batch, opened meanwhile, is closed once it opens
    expect([readers.batches, readers.open]).toEqual([[0, OPEN_CHUNKS_AT_ONCE], 0]);
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
