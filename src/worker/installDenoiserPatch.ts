// Patches an installed model's denoiser graphs for attention control once, at install, and stores the patched graph
// beside the downloaded one.
import { UnpatchableGraphError } from '../core/onnx/findAttention';
import { pointWeightsAtOriginal } from '../core/onnx/externalWeights';
import { decodeModel, encodeModel } from '../core/onnx/onnxProto';
import { patchModel, type PatchReport } from '../core/onnx/patchDenoiser';
import type { ModelStore, StoredFileRecord } from '../storage/modelStore';
import { readStoredFile } from '../storage/storedModels';
import { DEFAULT_CHUNK_BYTES } from '../storage/download/downloadModel';
import { StoredFileWriter, emptiedRecord } from '../storage/download/storedFileWriter';

/** The patched graph of `unet/model.onnx` is stored as `unet/model.onnx.attention-patched.onnx`. */
export const PATCHED_GRAPH_SUFFIX = '.attention-patched.onnx';

export interface DenoiserPatchResult {
  path: string;
  state: 'patched' | 'unpatchable' | 'already';
  reason?: string;
}

/** The file name a patched graph's external data entries give the original graph (its base name). */
export function originalGraphName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * The patched graph, without weights: every initializer that lives in the original file points into it (ONNX
 * external data, `location` = the original's base name). A real UNet's graph is a few MB against 1.7-3.4 GB of
 * weights, so keeping the downloaded UNet as it is costs nothing, and it is what the model runs on when the
 * patched graph does not open (see worker/modelSource.ts).
 */
export function patchedGraphBeside(original: Uint8Array, path: string): { bytes: Uint8Array; report: PatchReport } {
  let model: ReturnType<typeof decodeModel>;
  try {
    model = decodeModel(original);
  } catch (error) {
    throw new UnpatchableGraphError(error instanceof Error ? error.message : String(error));
  }
  const report = patchModel(model);
  pointWeightsAtOriginal(model, original, originalGraphName(path));
  return { bytes: encodeModel(model), report };
}

/**
 * For every installed variant's UNet that is verified and not yet handled: patch it and store the patched graph
 * beside it. A graph the patcher cannot handle is marked 'unpatchable' with the patcher's message: the model still
 * generates, only MaskDiffusion is unavailable. The downloaded UNet is never rewritten.
 */
export async function patchInstalledDenoisers(
  store: ModelStore,
  modelId: string,
  options: { chunkBytes?: number } = {},
): Promise<DenoiserPatchResult[]> {
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
  let patched: ReturnType<typeof patchedGraphBeside>;
  try {
    patched = patchedGraphBeside(original, record.path);
  } catch (error) {
    if (!(error instanceof UnpatchableGraphError)) throw error;
    await store.putFile({ ...record, attentionPatch: { state: 'unpatchable', reason: error.message } });
    return { path: record.path, state: 'unpatchable', reason: error.message };
  }
  const graphPath = `${record.path}${PATCHED_GRAPH_SUFFIX}`;
  const target: StoredFileRecord = {
    ...emptiedRecord(record),
    path: graphPath,
    expectedSize: undefined,
    expectedSha256: undefined,
    source: undefined,
    sha256PinnedHere: undefined,
  };
  await store.resetFile(target);
  await StoredFileWriter.using(store, target, { chunkBytes, origin: `the patched ${record.path}` }, async (writer) => {
    for (let offset = 0; offset < patched.bytes.length; offset += chunkBytes)
      await writer.write(patched.bytes.slice(offset, offset + chunkBytes));
    await writer.finish(); // hashes the patched graph, so reads are held to it
  });
  await store.putFile({
    ...record,
    attentionPatch: {
      state: 'patched',
      report: patched.report,
      originalSize: record.storedBytes,
      originalSha256: record.expectedSha256 ?? '',
      graphPath,
    },
  });
  return { path: record.path, state: 'patched' };
}
