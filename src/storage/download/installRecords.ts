// The records an install starts from, shared by downloads and imports: the model, each file's expectations, pins.
import { fileOnHub, filesForVariant, type LibraryFile, type LibraryManifest } from '../libraryManifest';
import { hubFileKey, pinKey, type InstalledModelRecord, type ModelStore, type StoredFileRecord } from '../modelStore';
import { emptiedRecord } from './storedFileWriter';

/** The files some variants need, each once, in manifest order. */
export function filesForVariants(manifest: LibraryManifest, variantIds: string[]): LibraryFile[] {
  return [...new Map(variantIds.flatMap((id) => filesForVariant(manifest, id)).map((f) => [f.path, f])).values()];
}

/** Creates or widens the model's record (installing another variant later adds its files). */
export async function saveModelRecord(store: ModelStore, manifest: LibraryManifest, variantIds: string[], files: LibraryFile[]): Promise<InstalledModelRecord> {
  const existing = await store.getModel(manifest.id);
  const model: InstalledModelRecord = {
    id: manifest.id,
    name: manifest.name,
    manifest,
    variantIds: [...new Set([...(existing?.variantIds ?? []), ...variantIds])],
    files: [...new Set([...(existing?.files ?? []), ...files.map((f) => f.path)])],
    createdAt: existing?.createdAt ?? Date.now(),
  };
  await store.putModel(model);
  return model;
}

/** The file's record with what it must match: the manifest's size and sha256, else a pin from an earlier download. */
export async function prepareRecord(store: ModelStore, manifest: LibraryManifest, modelId: string, file: LibraryFile): Promise<StoredFileRecord> {
  const hub = fileOnHub(manifest, file);
  const pin = file.sha256 === undefined ? await store.getPin(pinKey(hub.repo, hub.revision, hub.path)) : undefined;
  const expectedSize = file.size ?? pin?.size;
  const expectedSha256 = file.sha256?.toLowerCase() ?? pin?.sha256;
  const existing = await store.getFile(modelId, file.path);
  // A denoiser patched at install holds other bytes than the hub's: compare the hub file it was made from.
  const hubSha256 = existing?.attentionPatch?.state === 'patched' ? existing.attentionPatch.originalSha256 : existing?.expectedSha256;
  if (existing?.verified && (expectedSha256 === undefined || hubSha256 === expectedSha256)) return existing;
  const record: StoredFileRecord = {
    storedBytes: 0,
    chunkCount: 0,
    verified: false,
    ...existing,
    modelId,
    path: file.path,
    expectedSize,
    expectedSha256,
    sha256PinnedHere: file.sha256 === undefined && pin !== undefined,
    source: hubFileKey(hub.repo, hub.revision, hub.path),
  };
  if (existing?.verified) {
    // The manifest now names a different file than the one stored: it must be downloaded again.
    const emptied = emptiedRecord(record);
    await store.resetFile(emptied);
    return emptied;
  }
  await store.putFile(record);
  return record;
}

/** The first verified download of a file without a manifest sha256 pins it, so later downloads must match. */
export async function pinIfNew(store: ModelStore, manifest: LibraryManifest, files: LibraryFile[], record: StoredFileRecord): Promise<void> {
  const file = files.find((f) => f.path === record.path);
  if (!file || file.sha256 !== undefined || record.expectedSha256 === undefined) return;
  const hub = fileOnHub(manifest, file);
  const key = pinKey(hub.repo, hub.revision, hub.path);
  if (!(await store.getPin(key))) await store.putPin(key, { size: record.storedBytes, sha256: record.expectedSha256, pinnedAt: Date.now() });
}
