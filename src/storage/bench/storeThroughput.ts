// Write, read and install throughput of a model store for one file, measured in the worker the store runs in.
import { createSHA256 } from 'hash-wasm';
import { DEFAULT_CHUNK_BYTES } from '../download/downloadModel';
import { filesForVariants, prepareRecord, saveModelRecord } from '../download/installRecords';
import { Sha256 } from '../download/sha256';
import { StoredFileWriter } from '../download/storedFileWriter';
import type { IdbModelStore } from '../idbModelStore';
import type { LibraryManifest } from '../libraryManifest';
import type { StoredFileRecord } from '../modelStore';
import { deleteInstalledModel, readStoredFile } from '../storedModels';

const MB = 1e6;
export const mbPerS = (bytes: number, ms: number) => Number((bytes / MB / (ms / 1000)).toFixed(1));
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
}

/** Incompressible bytes (xorshift32), so no layer of the browser can shrink what it stores. */
export function randomBytes(length: number, seed = 0x9e3779b9): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  const words = new Uint32Array(bytes.buffer, 0, length >>> 2);
  let state = seed;
  for (let i = 0; i < words.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    words[i] = state;
  }
  return bytes;
}

/** Raw writes through the store's commitChunk (16 MiB chunks, each committed with its record), no hashing. */
async function rawWrite(store: IdbModelStore, modelId: string, path: string, bytes: Uint8Array<ArrayBuffer>): Promise<number> {
  let record: StoredFileRecord = { modelId, path, storedBytes: 0, chunkCount: 0, verified: false };
  const [, ms] = await timed(async () => {
    for (let offset = 0; offset < bytes.length; offset += DEFAULT_CHUNK_BYTES) {
      const chunk = bytes.subarray(offset, offset + DEFAULT_CHUNK_BYTES);
      record = { ...record, storedBytes: record.storedBytes + chunk.length, chunkCount: record.chunkCount + 1 };
      await store.commitChunk(record, record.chunkCount - 1, chunk.slice());
    }
    await store.putFile({ ...record, verified: true });
  });
  return ms;
}

/** Chunk Blobs read one by one and copied into the file's buffer: how files were read before readStoredFile's faster paths. */
async function readThroughBlobs(store: IdbModelStore, record: StoredFileRecord): Promise<Uint8Array> {
  const bytes = new Uint8Array(record.storedBytes);
  let offset = 0;
  for (let index = 0; index < record.chunkCount; index++) {
    const chunk = new Uint8Array(await (await store.getChunk(record.modelId, record.path, index))!.arrayBuffer());
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

export interface ThroughputResult {
  writeMbPerS: number;
  /** readStoredFile, the path the engine takes for external data: OPFS chunks by sync access into one new buffer, IndexedDB's as one Blob. */
  readMbPerS: number;
  /** Chunk Blobs (IndexedDB Blobs, or OPFS Files) read one by one with arrayBuffer() and copied. */
  blobReadMbPerS: number;
}

/** Writes `bytes` as one file, reads it back `repetitions` times both ways (checking the bytes once), deletes it. */
export async function measureThroughput(
  store: IdbModelStore,
  bytes: Uint8Array<ArrayBuffer>,
  repetitions: number,
): Promise<ThroughputResult> {
  const modelId = 'bench-raw';
  await deleteInstalledModel(store, modelId);
  const writeMs = await rawWrite(store, modelId, 'model.bin', bytes);
  const record = (await store.getFile(modelId, 'model.bin'))!;
  const reads: number[] = [];
  const blobReads: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const [read, ms] = await timed(() => readStoredFile(store, modelId, 'model.bin'));
    if (i === 0 && !sameBytes(read, bytes)) throw new Error('the store read back different bytes than were written');
    reads.push(ms);
    blobReads.push((await timed(() => readThroughBlobs(store, record)))[1]);
  }
  await deleteInstalledModel(store, modelId);
  return {
    writeMbPerS: mbPerS(bytes.length, writeMs),
    readMbPerS: mbPerS(bytes.length, median(reads)),
    blobReadMbPerS: mbPerS(bytes.length, median(blobReads)),
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 4093) if (a[i] !== b[i]) return false; // a stride: a full compare would dominate
  return a[a.length - 1] === b[b.length - 1];
}

/** Network reads arrive in pieces of about this size; the writer gathers them into chunks. */
const RECEIVE_PIECE_BYTES = 1024 * 1024;

/**
 * The download path without the network: records from the manifest, then StoredFileWriter (content sniffing,
 * streaming sha256, chunked commits, verification) fed in network-sized pieces. Returns milliseconds.
 */
export async function installFromBytes(store: IdbModelStore, manifest: LibraryManifest, bytes: Uint8Array<ArrayBuffer>): Promise<number> {
  const [, ms] = await timed(async () => {
    const [file] = filesForVariants(manifest, [manifest.variants[0].id]);
    const model = await saveModelRecord(store, manifest, [manifest.variants[0].id], [file]);
    const record = await prepareRecord(store, manifest, model.id, file);
    await StoredFileWriter.using(store, record, { chunkBytes: DEFAULT_CHUNK_BYTES, origin: 'the storage bench' }, async (writer) => {
      for (let offset = 0; offset < bytes.length; offset += RECEIVE_PIECE_BYTES)
        await writer.write(bytes.subarray(offset, offset + RECEIVE_PIECE_BYTES));
      await writer.finish();
    });
  });
  return ms;
}

/**
 * SHA-256 alone over `bytes` in network-sized pieces (the hashing share of an install): the studio's own
 * (download/sha256.ts) and hash-wasm's, the library it replaced, for the comparison in one run.
 */
export async function sha256MbPerS(bytes: Uint8Array): Promise<{ studio: number; hashWasm: number }> {
  const studio = await Sha256.create();
  const hashWasm = await createSHA256();
  const rates = { studio: [] as number[], hashWasm: [] as number[] };
  for (let round = 0; round < 3; round++) {
    // Alternated, so both see the same machine; the first round also lets each module reach its optimised code.
    for (const [name, hasher] of [
      ['studio', studio],
      ['hashWasm', hashWasm],
    ] as const) {
      hasher.init();
      const [, ms] = await timed(async () => {
        for (let offset = 0; offset < bytes.length; offset += RECEIVE_PIECE_BYTES)
          hasher.update(bytes.subarray(offset, offset + RECEIVE_PIECE_BYTES));
        hasher.digest();
      });
      rates[name].push(mbPerS(bytes.length, ms));
    }
  }
  return { studio: median(rates.studio), hashWasm: median(rates.hashWasm) };
}

/**
 * Copy speed into fresh memory (a new buffer, every page touched for the first time) and into the same buffer again:
 * the floor under any read of a file into a new buffer. On the 2-core VMs this project is measured on, first touches
 * cost far more than the copy itself (page faults the hypervisor serves), which bounds every store read.
 */
export function memoryCopyRates(bytes: Uint8Array): { firstTouchMbPerS: number; warmMbPerS: number } {
  const firstTouch: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) {
    let started = performance.now();
    const fresh = new Uint8Array(bytes.length);
    fresh.set(bytes);
    firstTouch.push(performance.now() - started);
    started = performance.now();
    fresh.set(bytes);
    warm.push(performance.now() - started);
  }
  return { firstTouchMbPerS: mbPerS(bytes.length, median(firstTouch)), warmMbPerS: mbPerS(bytes.length, median(warm)) };
}
