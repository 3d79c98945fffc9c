// The built-in model's UNet graphs patched for attention control when the app is built (vite.config.ts), and
// served beside the model with an index: the worker opens them as it opens an installed model's patched graph,
// instead of patching the graph at every load (decode, patch and encode of the 3.4 MB UNet on the main load path).
// As an install stores them (installDenoiserPatch.ts), they hold no weights: those are read from the UNet as
// shipped, as external data, so the app serves (and its service worker caches) the weights once.
import { UnpatchableGraphError } from '../core/onnx/findAttention';
import type { PatchReport } from '../core/onnx/patchDenoiser';
import type { StoredDenoiserPatch } from '../core/pipeline/loadPipeline';
import type { ModelManifest } from '../shared/manifest';
import { PATCHED_GRAPH_SUFFIX, patchedGraphBeside } from './installDenoiserPatch';

/** The index of a model folder's served patches, beside its manifest.json. */
export const SERVED_PATCH_INDEX = 'attention-patch.json';

/** Per UNet path (as the manifest names it): its patched graph's path, or why the patcher refused it. */
export type ServedPatchIndex = Record<
  string,
  { state: 'patched'; graph: string; report: PatchReport } | { state: 'unpatchable'; reason: string }
>;

/** The index and the patched graphs (paths relative to the model folder) for every UNet the manifest names. */
export function makeServedPatches(
  manifest: ModelManifest,
  read: (path: string) => Uint8Array,
): { index: ServedPatchIndex; graphs: Map<string, Uint8Array> } {
  const index: ServedPatchIndex = {};
  const graphs = new Map<string, Uint8Array>();
  for (const path of new Set(manifest.variants.map((v) => v.files.unet))) {
    try {
      const { bytes, report } = patchedGraphBeside(read(path), path);
      const graph = path + PATCHED_GRAPH_SUFFIX;
      graphs.set(graph, bytes);
      index[path] = { state: 'patched', graph, report };
    } catch (error) {
      if (!(error instanceof UnpatchableGraphError)) throw error;
      index[path] = { state: 'unpatchable', reason: error.message };
    }
  }
  return { index, graphs };
}

/** The index's entry for a UNet path: only its own keys (an index is data read from the server). */
function entryOf(index: ServedPatchIndex, unetPath: string): ServedPatchIndex[string] | undefined {
  return Object.hasOwn(index, unetPath) ? index[unetPath] : undefined;
}

/** The patched graph served for a UNet, if the index names one. */
export function servedGraphOf(index: ServedPatchIndex, unetPath: string): string | undefined {
  const entry = entryOf(index, unetPath);
  return entry?.state === 'patched' && typeof entry.graph === 'string' ? entry.graph : undefined;
}

/** What the index says of one UNet, as the pipeline takes it; undefined when it does not name that UNet. */
export function servedPatchOf(index: ServedPatchIndex, unetPath: string): StoredDenoiserPatch | undefined {
  const entry = entryOf(index, unetPath);
  if (entry?.state === 'patched') return servedGraphOf(index, unetPath) ? { state: 'patched', report: entry.report } : undefined;
  if (entry?.state === 'unpatchable') return { state: 'unpatchable', reason: String(entry.reason) };
  return undefined;
}
