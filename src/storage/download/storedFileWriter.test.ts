// StoredFileWriter's streaming sha256: right over chunks, after a failed write, and after reopening.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryModelStore } from '../memoryModelStore';
import type { StoredFileRecord } from '../modelStore';
import { StoredFileWriter } from './storedFileWriter';

const bytes = new Uint8Array(300).map((_, i) => (i * 37 + 11) & 0xff);
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const record = (expectedSha256?: string): StoredFileRecord => ({
  modelId: 'm',
  path: 'weights.onnx_data',
  expectedSize: bytes.length,
  expectedSha256,
  storedBytes: 0,
  chunkCount: 0,
  verified: false,
});
const options = { chunkBytes: 128, origin: 'the test' };

describe('StoredFileWriter hashing', () => {
  it('verifies a file written in pieces across several chunks against its sha256', async () => {
    const store = new MemoryModelStore();
    const writer = await StoredFileWriter.open(store, record(sha256(bytes)), options);
    for (let offset = 0; offset < bytes.length; offset += 50) await writer.write(bytes.subarray(offset, offset + 50));
    const done = await writer.finish();
    expect(done.verified).toBe(true);
    expect(done.chunkCount).toBeGreaterThan(1);
  });

  it('pins the sha256 of a file the manifest gives no hash for', async () => {
    const writer = await StoredFileWriter.open(new MemoryModelStore(), record(), options);
    await writer.write(bytes);
    expect((await writer.finish()).expectedSha256).toBe(sha256(bytes));
  });

  it('keeps the hash to the committed chunks when a chunk write fails (full disk), so the same writer continues', async () => {
    const store = new MemoryModelStore({ quotaBytes: 100 });
    const writer = await StoredFileWriter.open(store, record(sha256(bytes)), options);
    await expect(writer.write(bytes.subarray(0, 200))).rejects.toMatchObject({ name: 'QuotaExceededError' });
    store.setQuotaBytes(undefined);
    await writer.write(bytes.subarray(200)); // the chunk that failed is still pending: it is committed (and hashed) once
    expect((await writer.finish()).verified).toBe(true);
  });

  it('keeps the hash to the committed chunks when a later chunk fails while the one before is still hashing', async () => {
    const store = new MemoryModelStore({ quotaBytes: 200 });
    const writer = await StoredFileWriter.open(store, record(sha256(bytes)), options);
    await writer.write(bytes.subarray(0, 128)); // chunk 0 commits; its hash may still be running
    await expect(writer.write(bytes.subarray(128, 256))).rejects.toMatchObject({ name: 'QuotaExceededError' });
    expect(writer.storedBytes).toBe(128);
    store.setQuotaBytes(undefined);
    await writer.write(bytes.subarray(256));
    expect((await writer.finish()).verified).toBe(true);
  });

  it('re-hashes the stored chunks when reopened (a resume after a reload)', async () => {
    const store = new MemoryModelStore();
    const first = await StoredFileWriter.open(store, record(sha256(bytes)), options);
    for (const [start, end] of [
      [0, 130],
      [130, 260],
      [260, 264],
    ])
      await first.write(bytes.subarray(start, end));
    const stored = (await store.getFile('m', 'weights.onnx_data'))!;
    expect(stored.storedBytes).toBe(260); // two chunks committed; 4 bytes were pending and are lost with the page
    const resumed = await StoredFileWriter.open(store, stored, options);
    await resumed.write(bytes.subarray(stored.storedBytes));
    expect((await resumed.finish()).verified).toBe(true);
  });

  it('rejects bytes whose sha256 differs, and keeps none of them', async () => {
    const store = new MemoryModelStore();
    const writer = await StoredFileWriter.open(store, record(sha256(bytes)), options);
    const damaged = bytes.slice();
    damaged[150] ^= 1;
    await writer.write(damaged);
    await expect(writer.finish()).rejects.toThrow(/checksum/);
    expect((await store.getFile('m', 'weights.onnx_data'))?.storedBytes).toBe(0);
  });
});
