// Reading installed models back out of a ModelStore: readiness, sizes, whole files for ORT, and deleting.
import type { InstalledModelSummary } from '../shared/libraryProtocol';
import type { ModelManifest } from '../shared/manifest';

export type { InstalledModelSummary };
import { filesForVariant, toModelManifest } from './libraryManifest';
import type { InstalledModelRecord, ModelStore, StoredFileRecord } from './modelStore';
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

/** Chunks read at once: overlaps IndexedDB's file reads; memory beyond the file is at most this many chunks. */
export const PARALLEL_CHUNK_READS = 4;

/** Concatenates a record's chunks; peak memory is the file plus PARALLEL_CHUNK_READS chunks. */
export async function readStoredBytes(store: ModelStore, record: StoredFileRecord): Promise<Uint8Array<ArrayBuffer>> {
  const whole = await store.readFile?.(record); // the store's fast path (OPFS), when it has one for this file
  if (whole) return whole;
  // Chunk Blobs are handles (no bytes yet): collect them to know every chunk's offset, then read several at once.
  const chunks: Blob[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (let index = 0; index < record.chunkCount; index++) {
    const chunk = await store.getChunk(record.modelId, record.path, index);
    if (!chunk) throw notInstalledError(record.modelId, record.path, `chunk ${index} is missing from storage`);
    if (offset + chunk.size > record.storedBytes)
      throw notInstalledError(record.modelId, record.path, 'its stored chunks are larger than its record says');
    chunks.push(chunk);
    offsets.push(offset);
    offset += chunk.size;
  }
  if (offset !== record.storedBytes)
    throw notInstalledError(record.modelId, record.path, `only ${offset} of ${record.storedBytes} bytes are stored`);
  const bytes = new Uint8Array(record.storedBytes);
  let next = 0;
  const reader = async () => {
    for (let index = next++; index < chunks.length; index = next++)
      bytes.set(new Uint8Array(await chunks[index].arrayBuffer()), offsets[index]);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_CHUNK_READS, chunks.length) }, reader));
  return bytes;
}

async function verifiedRecord(store: ModelStore, modelId: string, path: string): Promise<StoredFileRecord> {
  const record = await store.getFile(modelId, path);
  if (!record) throw notInstalledError(modelId, path, 'it is not in the model store');
  if (!record.verified) throw notInstalledError(modelId, path, 'its download has not finished or did not verify');
  return record;
}

/** A verified file as one Uint8Array, e.g. for InferenceSession.create (ORT wants the whole model in memory). */
export async function readStoredFile(store: ModelStore, modelId: string, path: string): Promise<Uint8Array<ArrayBuffer>> {
  return readStoredBytes(store, await verifiedRecord(store, modelId, path));
}

/** A verified file as a Blob made of its chunk Blobs (the browser need not copy them into memory). */
export async function readStoredFileBlob(store: ModelStore, modelId: string, path: string): Promise<Blob> {
  const record = await verifiedRecord(store, modelId, path);
  const chunks: Blob[] = [];
  for (let index = 0; index < record.chunkCount; index++) {
    const chunk = await store.getChunk(modelId, path, index);
    if (!chunk) throw notInstalledError(modelId, path, `chunk ${index} is missing from storage`);
    chunks.push(chunk);
  }
  return new Blob(chunks);
}

/** Reads an installed model's files; the same shape as the pipeline's ModelFileReader. */
export function storedModelReader(store: ModelStore, modelId: string): { origin: string; read(path: string): Promise<Uint8Array> } {
  return { origin: `the model store (${modelId})`, read: (path) => readStoredFile(store, modelId, path) };
}

/** Frees the model's chunks (and an update's staged ones), forgets it and the pins its downloads set; other models are untouched. */
export async function deleteInstalledModel(store: ModelStore, modelId: string): Promise<void> {
  const staging = stagingModelId(modelId);
  await deletePinsOf(store, modelId);
  await deletePinsOf(store, staging);
  await store.deleteModel(staging);
  await store.deleteModel(modelId);
}
