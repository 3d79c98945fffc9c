// Opens the model an init request names: the built-in model served with the app, or an installed one in the model store.
import { StudioError } from '../shared/errors';
import type { ComponentName, ModelManifest, ModelVariant } from '../shared/manifest';
import type { HubHostsSetting, ModelSource } from '../shared/protocol';
import { downloadBase } from '../shared/hubHosts';
import type { ExternalDataFile } from '../core/ort/runtime';
import type { StoredDenoiserPatch } from '../core/pipeline/loadPipeline';
import { readJson, urlFileReader, type ModelFileReader } from '../core/pipeline/modelFiles';
import { createHubFileCache, hostGuardedFetch } from '../storage/hubFileCache';
import { DEFAULT_HUB_HOSTS, externalDataFor, type LibraryVariant } from '../storage/libraryManifest';
import type { ModelStore } from '../storage/modelStore';
import { installedModelManifest, readStoredFile, storedModelReader, summarizeModel } from '../storage/storedModels';
import { originalGraphName } from './installDenoiserPatch';
import { SERVED_PATCH_INDEX, servedGraphOf, servedPatchOf, type ServedPatchIndex } from './servedDenoiserPatch';

export interface OpenedModel {
  /** For a stored model, only the variants whose files all verified. */
  manifest: ModelManifest;
  modelFiles: ModelFileReader;
  /** The UNet as installed (patched at install, or refused by the patcher); undefined: patch it at load. */
  denoiserPatch(variant: ModelVariant): Promise<StoredDenoiserPatch | undefined>;
  externalData(variant: ModelVariant, component: ComponentName): Promise<ExternalDataFile[]>;
  /**
   * The same model with the UNet as downloaded and MaskDiffusion off for `reason`; undefined when the store holds
   * no unpatched UNet to fall back to (the built-in model, or an install whose graph was patched in place).
   */
  withoutDenoiserPatch(variant: ModelVariant, reason: string): Promise<OpenedModel | undefined>;
  /**
   * The UNet graph as downloaded, for an unmasked twin (core/pipeline/unmaskedUnet.ts); absent where the source
   * offers none: an installed model's patched graph takes its weights from that file as external data, and
   * installed models are in practice far too large for a twin.
   */
  readUnpatchedUnet?(variant: ModelVariant): Promise<Uint8Array>;
}

export async function openModelSource(source: ModelSource, store: () => ModelStore): Promise<OpenedModel> {
  if (source.kind === 'url') return openServedModel(urlFileReader(source.baseUrl));
  const models = store();
  const { modelId } = source;
  const record = await models.getModel(modelId);
  const manifest = record ? await installedModelManifest(models, modelId) : undefined;
  const summary = record ? await summarizeModel(models, record) : undefined;
  if (!manifest || !summary || summary.readyVariantIds.length === 0) {
    throw new StudioError({
      code: 'storage',
      stage: 'load',
      message: summary
        ? `${summary.name} is not fully installed: ${summary.verifiedFiles} of ${summary.fileCount} files verified.`
        : `The model "${modelId}" is not installed in this browser.`,
      remedy: summary
        ? 'Resume its download in the Models panel, or delete it and download it again.'
        : 'Install it from the Models panel, or use the built-in model.',
    });
  }
  const ready: ModelManifest = { ...manifest, variants: manifest.variants.filter((v) => summary.readyVariantIds.includes(v.id)) };
  const stored = storedModelReader(models, modelId);
  /** The patched graph stored beside the downloaded UNet, if the install made one. */
  const patchedGraph = async (unetPath: string) => {
    const patch = (await models.getFile(modelId, unetPath))?.attentionPatch;
    return patch?.state === 'patched' ? patch.graphPath : undefined;
  };
  /** Where a graph is stored: a UNet patched at install is read from its patched graph. */
  const storedGraphPath = async (path: string) => {
    const unet = ready.variants.find((v) => v.files.unet === path);
    return (unet && (await patchedGraph(path))) ?? path;
  };
  const storedExternalData = async (variant: ModelVariant, component: ComponentName): Promise<ExternalDataFile[]> => {
    const files = externalDataFor(variant as LibraryVariant, component);
    return Promise.all(files.map(async (f) => ({ path: f.graphName, data: await readStoredFile(models, modelId, f.storedPath) })));
  };
  const unpatched = (reason: string): OpenedModel => ({
    manifest: ready,
    modelFiles: stored,
    denoiserPatch: async () => ({ state: 'unpatchable', reason }),
    externalData: storedExternalData,
    withoutDenoiserPatch: async () => undefined,
  });
  return {
    manifest: ready,
    modelFiles: {
      origin: stored.origin,
      read: async (path) => stored.read(await storedGraphPath(path)),
      readInto: async (path, room) => stored.readInto(await storedGraphPath(path), room),
    },
    async denoiserPatch(variant) {
      const patch = (await models.getFile(modelId, variant.files.unet))?.attentionPatch;
      if (!patch) return undefined;
      return patch.state === 'patched' ? { state: 'patched', report: patch.report } : patch;
    },
    async externalData(variant, component) {
      const files = await storedExternalData(variant, component);
      if (component !== 'unet' || !(await patchedGraph(variant.files.unet))) return files;
      // The patched graph's weights are the downloaded UNet's bytes (external data pointing into it).
      return [...files, { path: originalGraphName(variant.files.unet), data: await readStoredFile(models, modelId, variant.files.unet) }];
    },
    async withoutDenoiserPatch(variant, reason) {
      return (await patchedGraph(variant.files.unet)) ? unpatched(reason) : undefined;
    },
  };
}

/**
 * A model served over HTTP (the built-in one). A build patches its UNets and serves them with an index
 * (servedDenoiserPatch.ts): they open as stored, their weights read from the graph as served, which is also kept
 * to fall back to. Without an index (a dev server, a test folder) or with one that does not parse, the UNet is
 * patched at load.
 */
async function openServedModel(served: ModelFileReader): Promise<OpenedModel> {
  const [manifest, index] = await Promise.all([
    readJson<ModelManifest>(served, 'manifest.json'),
    readJson<ServedPatchIndex>(served, SERVED_PATCH_INDEX).catch(() => undefined),
  ]);
  // Served as built, the manifest's UNet path is the graph before patching, whichever graph the load opens.
  const readUnpatchedUnet = (variant: ModelVariant) => served.read(variant.files.unet);
  const plain = (denoiserPatch?: StoredDenoiserPatch): OpenedModel => ({
    manifest,
    modelFiles: served,
    denoiserPatch: async () => denoiserPatch,
    externalData: async () => [],
    withoutDenoiserPatch: async () => undefined,
    readUnpatchedUnet,
  });
  if (!index || typeof index !== 'object') return plain();
  const patchedGraph = (path: string) => servedGraphOf(index, path);
  /** The UNet as served, read once for the patched graph's weights and handed on to the unmasked twin. */
  const readForWeights = new Map<string, Uint8Array>();
  return {
    manifest,
    modelFiles: { origin: served.origin, read: (path) => served.read(patchedGraph(path) ?? path) },
    denoiserPatch: async (variant) => servedPatchOf(index, variant.files.unet),
    async externalData(variant, component) {
      const unet = variant.files.unet;
      if (component !== 'unet' || !patchedGraph(unet)) return [];
      const original = await served.read(unet);
      readForWeights.set(unet, original);
      return [{ path: originalGraphName(unet), data: original }];
    },
    withoutDenoiserPatch: async (variant, reason) =>
      patchedGraph(variant.files.unet) ? plain({ state: 'unpatchable', reason }) : undefined,
    async readUnpatchedUnet(variant) {
      const kept = readForWeights.get(variant.files.unet);
      readForWeights.delete(variant.files.unet);
      return kept ?? readUnpatchedUnet(variant);
    },
  };
}

/**
 * Loads with the patched UNet; if that fails and the store keeps the UNet as downloaded, loads again on it with
 * MaskDiffusion off and the failure as the reason, so a patch that does not open never costs the model itself.
 */
export async function loadWithDenoiserFallback<T>(
  source: OpenedModel,
  variant: ModelVariant,
  load: (source: OpenedModel) => Promise<T>,
): Promise<T> {
  const patch = await source.denoiserPatch(variant);
  try {
    return await load(source);
  } catch (error) {
    if (error instanceof StudioError && error.code === 'cancelled') throw error; // superseded: nothing to fall back to
    const message = error instanceof Error ? error.message : String(error);
    const fallback =
      patch?.state === 'patched'
        ? await source.withoutDenoiserPatch(
            variant,
            `The UNet patched for attention control did not load (${message}); it runs as downloaded, without MaskDiffusion.`,
          )
        : undefined;
    if (!fallback) throw error;
    return load(fallback);
  }
}

/**
 * Routes transformers.js' hub loads (the checker VLM, tokenizers by hub id) through the model store: verified
 * and kept on first use, served from the store afterwards, and only from the configured hub or mirror.
 * transformers.js is imported here, not with the worker's script (see core/pipeline/tokenizer.ts).
 */
export async function routeHubFilesThroughStore(store: ModelStore, hosts: HubHostsSetting = DEFAULT_HUB_HOSTS): Promise<void> {
  const { env } = await import('@huggingface/transformers');
  Object.assign(env, {
    allowLocalModels: false,
    useBrowserCache: false,
    useCustomCache: true,
    customCache: createHubFileCache(store, hosts),
    remoteHost: `${downloadBase(hosts)}/`,
    fetch: hostGuardedFetch(hosts),
  });
}
