// The records an install starts from, shared by downloads and imports: the model, and each file's expectations.
import { fileOnHub, filesForVariant, type LibraryFile, type LibraryManifest } from '../libraryManifest';
import { hubFileKey, type InstalledModelRecord, type ModelStore, type StoredFileRecord } from '../modelStore';
import { emptiedRecord } from './storedFileWriter';

/** The files some variants need, each once, in manifest order. */
export function filesForVariants(manifest: LibraryManifest, variantIds: string[]): LibraryFile[] {
  return [...new Map(variantIds.flatMap((id) => filesForVariant(manifest, id)).map((f) => [f.path, f])).values()];
}

/** Creates or widens the model's record (installing another variant later adds its files). */
export async function saveModelRecord(
  store: ModelStore,
  manifest: LibraryManifest,
  variantIds: string[],
  files: LibraryFile[],
): Promise<InstalledModelRecord> {
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

/**
 * Whether a stored file is the one the manifest describes: verified, from the same place on the hub, and
 * matching the manifest's sha256 and size where it gives them (a patched denoiser is compared by its hub file).
 */
export function storedFileMatches(record: StoredFileRecord | undefined, manifest: LibraryManifest, file: LibraryFile): boolean {
  if (!record?.verified) return false;
  const hub = fileOnHub(manifest, file);
  if (record.source !== undefined && record.source !== hubFileKey(hub.repo, hub.revision, hub.path)) return false;
  const patched = record.attentionPatch?.state === 'patched' ? record.attentionPatch : undefined;
  const hubSha256 = patched ? patched.originalSha256 : record.expectedSha256;
  const hubSize = patched ? patched.originalSize : record.storedBytes;
  if (file.sha256 !== undefined && hubSha256 !== file.sha256.toLowerCase()) return false;
  return file.size === undefined || hubSize === file.size;
}

/**
 * The file's record under `modelId` (the model, or its staging area during an update) with what it must
 * match: the manifest's size and sha256. Pins are applied after the download, once the server said which
 * revision it served (filePins.ts).
 */
export async function prepareRecord(
  store: ModelStore,
  manifest: LibraryManifest,
  modelId: string,
  file: LibraryFile,
): Promise<StoredFileRecord> {
  const hub = fileOnHub(manifest, file);
  const existing = await store.getFile(modelId, file.path);
  if (existing && storedFileMatches(existing, manifest, file)) return existing;
  const record: StoredFileRecord = {
    storedBytes: 0,
    chunkCount: 0,
    verified: false,
    ...existing,
    modelId,
    path: file.path,
    expectedSize: file.size,
    expectedSha256: file.sha256?.toLowerCase(),
    sha256PinnedHere: false,
    source: hubFileKey(hub.repo, hub.revision, hub.path),
  };
  const stale =
    existing !== undefined &&
    (existing.verified ||
      existing.source !== record.source ||
      (file.sha256 !== undefined && existing.expectedSha256 !== record.expectedSha256));
  if (stale) {
    // Another file than the manifest names is stored (or partly stored) here: it must be downloaded again.
    const emptied = { ...emptiedRecord(record), pinKey: undefined };
    await store.resetFile(emptied);
    return emptied;
  }
  await store.putFile(record);
  return record;
}
