// Opens the model an init request names: the built-in model served with the app, or an installed one in the model store.
import { env } from '@huggingface/transformers';
import { StudioError } from '../shared/errors';
import type { ComponentName, ModelManifest, ModelVariant } from '../shared/manifest';
import type { HubHostsSetting, ModelSource } from '../shared/protocol';
import type { ExternalDataFile } from '../core/ort/runtime';
import type { StoredDenoiserPatch } from '../core/pipeline/loadPipeline';
import { readJson, urlFileReader, type ModelFileReader } from '../core/pipeline/modelFiles';
import { createHubFileCache, hostGuardedFetch } from '../storage/hubFileCache';
import { DEFAULT_HUB_HOSTS, externalDataFor, type LibraryVariant } from '../storage/libraryManifest';
import type { ModelStore } from '../storage/modelStore';
import { installedModelManifest, readStoredFile, storedModelReader, summarizeModel } from '../storage/storedModels';

export interface OpenedModel {
  /** For a stored model, only the variants whose files all verified. */
  manifest: ModelManifest;
  modelFiles: ModelFileReader;
  /** The UNet as installed (patched at install, or refused by the patcher); undefined: patch it at load. */
  denoiserPatch(variant: ModelVariant): Promise<StoredDenoiserPatch | undefined>;
  externalData(variant: ModelVariant, component: ComponentName): Promise<ExternalDataFile[]>;
}

export async function openModelSource(source: ModelSource, store: () => ModelStore): Promise<OpenedModel> {
  if (source.kind === 'url') {
    const modelFiles = urlFileReader(source.baseUrl);
    return { manifest: await readJson<ModelManifest>(modelFiles, 'manifest.json'), modelFiles, denoiserPatch: async () => undefined, externalData: async () => [] };
  }
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
      remedy: summary ? 'Resume its download in the Models panel, or delete it and download it again.' : 'Install it from the Models panel, or use the built-in model.',
    });
  }
  return {
    manifest: { ...manifest, variants: manifest.variants.filter((v) => summary.readyVariantIds.includes(v.id)) },
    modelFiles: storedModelReader(models, modelId),
    async denoiserPatch(variant) {
      const patch = (await models.getFile(modelId, variant.files.unet))?.attentionPatch;
      if (!patch) return undefined;
      return patch.state === 'patched' ? { state: 'patched', report: patch.report } : patch;
    },
    async externalData(variant, component) {
      const files = externalDataFor(variant as LibraryVariant, component);
      return Promise.all(files.map(async (f) => ({ path: f.graphName, data: await readStoredFile(models, modelId, f.storedPath) })));
    },
  };
}

/**
 * Routes transformers.js' hub loads (the checker VLM, tokenizers by hub id) through the model store: verified
 * and kept on first use, served from the store afterwards, and only from the configured hub or mirror.
 */
export function routeHubFilesThroughStore(store: ModelStore, hosts: HubHostsSetting = DEFAULT_HUB_HOSTS): void {
  const base = (hosts.useMirror && hosts.mirrorBase ? hosts.mirrorBase : hosts.hubBase).replace(/\/+$/, '');
  Object.assign(env, {
    allowLocalModels: false,
    useBrowserCache: false,
    useCustomCache: true,
    customCache: createHubFileCache(store, hosts),
    remoteHost: `${base}/`,
    fetch: hostGuardedFetch(hosts),
  });
}
