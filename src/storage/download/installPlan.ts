// Plans an install: a fresh one fills the model's own records; an update fills a staging area swapped in at the end.
import type { LibraryManifest } from '../libraryManifest';
import type { InstalledModelRecord, ModelStore, StoredFileRecord } from '../modelStore';
import { filesForVariants, prepareRecord, saveModelRecord, storedFileMatches } from './installRecords';

/** Appended to a model id for its staging area: a manifest id cannot hold a NUL (manifestSchema.ts), so no model has this id. */
const STAGING_SUFFIX = '\u0000update';

export function stagingModelId(modelId: string): string {
  return `${modelId}${STAGING_SUFFIX}`;
}

export interface InstallPlan {
  /** The files to fill: the model's own records, or (for an update) staged ones under the same paths. */
  records: StoredFileRecord[];
  /** Once every record verified: swaps an update's staged files and manifest in (one transaction). */
  complete(): Promise<void>;
}

/**
 * A first install, a resume or another variant of the installed manifest writes into the model's records.
 * A changed manifest (same id: an update) must never damage what is installed: the stored manifest stays, the
 * files that differ are downloaded into a staging area, and only when all verified do they and the new
 * manifest replace the old at once. A failed or paused update leaves the installed model as it was.
 */
export async function planInstall(store: ModelStore, manifest: LibraryManifest, variantIds: string[]): Promise<InstallPlan> {
  const existing = await store.getModel(manifest.id);
  const staging = stagingModelId(manifest.id);
  if (!existing?.manifest || sameManifest(existing.manifest, manifest)) {
    if (existing?.pendingUpdate) await store.deleteModel(staging); // back to the installed manifest: drop the update's files
    const files = filesForVariants(manifest, variantIds);
    const model = await saveModelRecord(store, manifest, variantIds, files);
    const records = await Promise.all(files.map((f) => prepareRecord(store, manifest, model.id, f)));
    return { records, complete: async () => undefined };
  }

  // An update keeps the installed variants the new manifest still has, so none is left half old, half new.
  const ids = [...new Set([...existing.variantIds.filter((id) => manifest.variants.some((v) => v.id === id)), ...variantIds])];
  const files = filesForVariants(manifest, ids);
  const pending: InstalledModelRecord = { ...existing, pendingUpdate: { manifest, variantIds: ids } };
  await store.putModel(pending);
  const records: StoredFileRecord[] = [];
  for (const file of files) {
    const live = await store.getFile(manifest.id, file.path);
    records.push(live && storedFileMatches(live, manifest, file) ? live : await prepareRecord(store, manifest, staging, file));
  }
  return {
    records,
    async complete() {
      const current = (await store.getModel(manifest.id)) ?? pending;
      await store.promoteStaged(staging, {
        ...current,
        name: manifest.name,
        manifest,
        variantIds: ids,
        files: files.map((f) => f.path),
        pendingUpdate: undefined,
      });
    },
  };
}

/** The manifest to continue with: an update in progress, else the installed one. */
export function manifestToResume(model: InstalledModelRecord): { manifest: LibraryManifest; variantIds: string[] } | undefined {
  if (model.pendingUpdate) return model.pendingUpdate;
  return model.manifest ? { manifest: model.manifest, variantIds: model.variantIds } : undefined;
}

function sameManifest(a: LibraryManifest, b: LibraryManifest): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** JSON with object keys sorted, so two copies of one manifest compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : 1)))
      : v,
  );
}
