// Patches an installed model's denoiser graphs for attention control once, at install, and stores the patched graph.
import { UnpatchableGraphError } from '../core/onnx/findAttention';
import { patchDenoiser } from '../core/onnx/patchDenoiser';
import type { ModelStore, StoredFileRecord } from './modelStore';
import { readStoredFile } from './storedModels';
import { DEFAULT_CHUNK_BYTES } from './download/downloadModel';
import { StoredFileWriter, emptiedRecord } from './download/storedFileWriter';

/** Where the patched graph is written before it replaces the hub's file in one transaction (moveFile). */
const STAGING_SUFFIX = '.patching';

export interface DenoiserPatchResult {
  path: string;
  state: 'patched' | 'unpatchable' | 'already';
  reason?: string;
}

/**
 * For every installed variant's UNet that is verified and not yet handled: patch it and store the patched
 * graph in place of the hub's (the record keeps the hub file's sha256 for later downloads to compare with).
 * A graph the patcher cannot handle stays as downloaded, marked 'unpatchable' with the patcher's message:
 * the model still generates, only MaskDiffusion is unavailable. Until the swap the hub's verified graph stays
 * in place, so a crash or a failed write never leaves a half-patched denoiser.
 */
export async function patchInstalledDenoisers(store: ModelStore, modelId: string, options: { chunkBytes?: number } = {}): Promise<DenoiserPatchResult[]> {
  const model = await store.getModel(modelId);
  if (!model?.manifest) return [];
  const unetPaths = new Set(model.manifest.variants.filter((v) => model.variantIds.includes(v.id)).map((v) => v.files.unet));
  const results: DenoiserPatchResult[] = [];
  for (const path of unetPaths) {
    const record = await store.getFile(modelId, path);
    if (!record?.verified) continue; // not downloaded yet: patched once it is
    if (record.attentionPatch) {
      results.push({ path, state: 'already' });
      continue;
    }
    results.push(await patchOne(store, record, options.chunkBytes ?? DEFAULT_CHUNK_BYTES));
  }
  return results;
}

async function patchOne(store: ModelStore, record: StoredFileRecord, chunkBytes: number): Promise<DenoiserPatchResult> {
  const original = await readStoredFile(store, record.modelId, record.path);
  let patched: ReturnType<typeof patchDenoiser>;
  try {
    patched = patchDenoiser(original);
  } catch (error) {
    if (!(error instanceof UnpatchableGraphError)) throw error;
    await store.putFile({ ...record, attentionPatch: { state: 'unpatchable', reason: error.message } });
    return { path: record.path, state: 'unpatchable', reason: error.message };
  }
  const stagingPath = `${record.path}${STAGING_SUFFIX}`;
  const staging: StoredFileRecord = { ...emptiedRecord(record), path: stagingPath, expectedSize: undefined, expectedSha256: undefined, source: undefined };
  await store.resetFile(staging);
  const writer = await StoredFileWriter.open(store, staging, { chunkBytes, origin: `the patched ${record.path}` });
  for (let offset = 0; offset < patched.bytes.length; offset += chunkBytes) await writer.write(patched.bytes.slice(offset, offset + chunkBytes));
  const written = await writer.finish(); // hashes the patched bytes, so reads and re-verification hold them to it
  await store.moveFile(stagingPath, {
    ...written,
    path: record.path,
    source: record.source,
    sha256PinnedHere: record.sha256PinnedHere,
    attentionPatch: { state: 'patched', report: patched.report, originalSize: record.storedBytes, originalSha256: record.expectedSha256 ?? '' },
  });
  return { path: record.path, state: 'patched' };
}
