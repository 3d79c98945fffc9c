// Reading installed models back out of a ModelStore: readiness, sizes, whole files for ORT, and deleting.
import type { InstalledModelSummary } from '../shared/libraryProtocol';
import type { ModelManifest } from '../shared/manifest';
import type { FileRoom, ModelFileReader } from '../core/pipeline/modelFiles';

export type { InstalledModelSummary };
import { filesForVariant, toModelManifest } from './libraryManifest';
import type { ChunkReader, InstalledModelRecord, ModelStore, StoredFileRecord } from './modelStore';
import { notInstalledError } from './download/downloadErrors';
import { deletePinsOf } from './download/filePins';
import { stagingModelId } from './download/installPlan';

export async function summarizeModel(store: ModelStore, model: InstalledModelRecord): Promise<InstalledModelSummary> {
  const records = new Map((await store.listFiles(model.id)).map((r) => [r.path, r]));
  let storedBytes = 0;
  let totalBytes: number | undefined = 0;
  let verifiedFiles = 0;
  for (const path of model.files) {
    const record = records.get(path);
    storedBytes += record?.storedBytes ?? 0;
    if (record?.verified) verifiedFiles += 1;
    const size = record?.expectedSize;
    totalBytes = totalBytes === undefined || size === undefined ? undefined : totalBytes + size;
  }
  const ready = model.files.length > 0 && verifiedFiles === model.files.length;
  const manifest = model.manifest;
  const readyVariantIds = manifest
    ? model.variantIds.filter(
        (id) => manifest.variants.some((v) => v.id === id) && filesForVariant(manifest, id).every((f) => records.get(f.path)?.verified),
      )
    : [];
  return {
    id: model.id,
    name: model.name,
    variantIds: model.variantIds,
    ready,
    readyVariantIds,
    fileCount: model.files.length,
    verifiedFiles,
    storedBytes,
    totalBytes,
  };
}

/** Installed (or partly installed) models with their sizes, by name. */
export async function listInstalledModels(store: ModelStore): Promise<InstalledModelSummary[]> {
  const models = await store.listModels();
  const summaries = await Promise.all(models.map((m) => summarizeModel(store, m)));
  return summaries.sort((a, b) => a.name.localeCompare(b.name));
}

export async function isModelReady(store: ModelStore, modelId: string): Promise<boolean> {
  const model = await store.getModel(modelId);
  return model !== undefined && (await summarizeModel(store, model)).ready;
}

/** The manifest the pipeline loads, with sizes and hashes the downloads verified. */
export async function installedModelManifest(store: ModelStore, modelId: string): Promise<ModelManifest | undefined> {
  const model = await store.getModel(modelId);
  if (!model?.manifest) return undefined;
  const verified = new Map(
    (await store.listFiles(modelId))
      .filter((r) => r.verified)
      .map((r) => [r.path, { size: r.storedBytes, sha256: r.expectedSha256 ?? '' }]),
  );
  return toModelManifest(model.manifest, verified);
}

/** A file's chunk Blobs (IndexedDB Blobs, or OPFS Files: handles, no bytes read yet), checked against its record. */
async function storedChunks(store: ModelStore, record: StoredFileRecord): Promise<Blob[]> {
  const { modelId, path } = record;
  const chunks: Blob[] = [];
  let stored = 0;
  for (let index = 0; index < record.chunkCount; index++) {
    const chunk = await store.getChunk(modelId, path, index);
    if (!chunk) throw notInstalledError(modelId, path, `chunk ${index} is missing from storage`);
    stored += chunk.size;
    if (stored > record.storedBytes) throw notInstalledError(modelId, path, 'its stored chunks are larger than its record says');
    chunks.push(chunk);
  }
  if (stored !== record.storedBytes) throw notInstalledError(modelId, path, `only ${stored} of ${record.storedBytes} bytes are stored`);
  return chunks;
}

/** Chromium's Blob.arrayBuffer() read 1,760 MiB at once and failed at 2,240 MiB (NotReadableError): files up to this read whole. */
export const WHOLE_READ_MAX_BYTES = 1760 * 1024 ** 2;
/** Larger files are read in parts of this size, each copied into the file's buffer: memory stays the file plus one part. */
export const PART_READ_BYTES = 64 * 1024 ** 2;

/**
 * A file's bytes in one new buffer. Its chunks are joined into one Blob and read with one arrayBuffer(), so the
 * browser reads them straight into the buffer and every byte is touched once; reading chunk by chunk and copying
 * touched it twice, half the speed where fresh memory is slow to map (`npm run bench:storage`:
 * `memory_first_touch_mb_per_s`). Files over `wholeMax` are read in parts of at most `partBytes` and copied.
 */
export async function readStoredBytes(
  store: ModelStore,
  record: StoredFileRecord,
  { wholeMax = WHOLE_READ_MAX_BYTES, partBytes = PART_READ_BYTES } = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const chunks = await storedChunks(store, record);
  if (record.storedBytes <= wholeMax) {
    const whole = chunks.length === 1 ? chunks[0] : new Blob(chunks);
    return new Uint8Array(await whole.arrayBuffer());
  }
  const bytes = new Uint8Array(record.storedBytes);
  let offset = 0;
  let part: Blob[] = [];
  let size = 0;
  const flush = async () => {
    const read = new Uint8Array(await new Blob(part).arrayBuffer());
    bytes.set(read, offset);
    offset += read.length;
    part = [];
    size = 0;
  };
  for (const chunk of chunks) {
    if (size > 0 && size + chunk.size > partBytes) await flush();
    part.push(chunk);
    size += chunk.size;
  }
  await flush();
  return bytes;
}

async function verifiedRecord(store: ModelStore, modelId: string, path: string): Promise<StoredFileRecord> {
  const record = await store.getFile(modelId, path);
  if (!record) throw notInstalledError(modelId, path, 'it is not in the model store');
  if (!record.verified) throw notInstalledError(modelId, path, 'its download has not finished or did not verify');
  return record;
}

/**
 * A verified file as one Uint8Array (external data for ORT, a graph to patch): by sync access straight into a new
 * buffer where the store opens its chunks (OPFS in a worker), else as one Blob read.
 */
export async function readStoredFile(store: ModelStore, modelId: string, path: string): Promise<Uint8Array<ArrayBuffer>> {
  const record = await verifiedRecord(store, modelId, path);
  const direct = await readChunksInto(store, record, (size) => plainRoom(new Uint8Array(size)), { blobsToo: false });
  return direct?.bytes ?? readStoredBytes(store, record);
}

/**
 * A verified file read into `room(size)` (ORT's heap, see OrtRuntime.modelBytes): OPFS chunks straight into it by
 * sync access where the store can, other chunks through their Blobs. The room is freed if the read fails.
 */
export async function readStoredFileInto<T extends FileRoom>(
  store: ModelStore,
  modelId: string,
  path: string,
  room: (size: number) => T,
): Promise<T> {
  const record = await verifiedRecord(store, modelId, path);
  return (await readChunksInto(store, record, room, { blobsToo: true }))!;
}

const plainRoom = <B extends Uint8Array>(bytes: B) => ({ bytes, view: () => bytes, free: () => undefined });

/** Chunks opened for sync reads at once (ModelStore.openChunks): 256 MiB of 16 MiB chunks, a few file handles. */
export const OPEN_CHUNKS_AT_ONCE = 16;

/**
 * Reads a file's chunks in order into room(size), made once its first chunks are open: by sync access where the
 * store opens them, each batch's opens overlapping the reads of the one before; chunks it cannot open through their
 * Blobs, unless it opened none of the first batch and not `blobsToo` (then undefined, no room made). Every reader is
 * closed, and the room freed on failure.
 */
async function readChunksInto<T extends FileRoom>(
  store: ModelStore,
  record: StoredFileRecord,
  room: (size: number) => T,
  { blobsToo }: { blobsToo: boolean },
): Promise<T | undefined> {
  const { modelId, path, chunkCount, storedBytes } = record;
  const open = (first: number) =>
    first < chunkCount ? store.openChunks?.(modelId, path, first, Math.min(OPEN_CHUNKS_AT_ONCE, chunkCount - first)) : undefined;
  let opening = open(0);
  let readers = await opening;
  if (!readers && !blobsToo) return undefined;
  const target = room(storedBytes);
  let offset = 0;
  /** Where the next chunk goes: a view taken now, as a WebAssembly heap may have grown since the last. */
  const place = (size: number) => {
    if (offset + size > storedBytes) throw notInstalledError(modelId, path, 'its stored chunks are larger than its record says');
    return target.view().subarray(offset, offset + size);
  };
  try {
    for (let first = 0; first < chunkCount; first += OPEN_CHUNKS_AT_ONCE) {
      if (first > 0) readers = await opening;
      opening = open(first + OPEN_CHUNKS_AT_ONCE);
      for (let index = first; index < Math.min(first + OPEN_CHUNKS_AT_ONCE, chunkCount); index++) {
        const reader = readers?.[index - first];
        if (reader) {
          const read = reader.readInto(place(reader.size));
          if (read !== reader.size) throw notInstalledError(modelId, path, `chunk ${index} changed size while it was read`);
          offset += read;
          continue;
        }
        const chunk = await store.getChunk(modelId, path, index);
        if (!chunk) throw notInstalledError(modelId, path, `chunk ${index} is missing from storage`);
        const bytes = new Uint8Array(await chunk.arrayBuffer());
        place(bytes.length).set(bytes);
        offset += bytes.length;
      }
      closeAll(readers);
      readers = undefined;
    }
    if (offset !== storedBytes) throw notInstalledError(modelId, path, `only ${offset} of ${storedBytes} bytes are stored`);
  } catch (error) {
    closeAll(readers);
    void opening?.then(closeAll, () => undefined);
    target.free();
    throw error;
  }
  return target;
}

const closeAll = (readers: ChunkReader[] | undefined) => {
  for (const reader of readers ?? []) reader.close();
};

/** A verified file as a Blob made of its chunk Blobs (the browser need not copy them into memory). */
export async function readStoredFileBlob(store: ModelStore, modelId: string, path: string): Promise<Blob> {
  return new Blob(await storedChunks(store, await verifiedRecord(store, modelId, path)));
}

/** Reads an installed model's files; the same shape as the pipeline's ModelFileReader. */
export function storedModelReader(store: ModelStore, modelId: string): Required<ModelFileReader> {
  return {
    origin: `the model store (${modelId})`,
    read: (path) => readStoredFile(store, modelId, path),
    readInto: (path, room) => readStoredFileInto(store, modelId, path, room),
  };
}

/** Frees the model's chunks (and an update's staged ones), forgets it and the pins its downloads set; other models are untouched. */
export async function deleteInstalledModel(store: ModelStore, modelId: string): Promise<void> {
  const staging = stagingModelId(modelId);
  await deletePinsOf(store, modelId);
  await deletePinsOf(store, staging);
  await store.deleteModel(staging);
  await store.deleteModel(modelId);
}
