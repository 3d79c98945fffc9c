// Loads a checker VLM with transformers.js from the model store only (env.customCache over the store; remote off).
import { AutoModelForVision2Seq, AutoProcessor, env } from '@huggingface/transformers';
import { createHubFileCache } from '../../storage/hubFileCache';
import { downloadBase, type HubHosts } from '../../shared/hubHosts';
import type { ModelStore } from '../../storage/modelStore';
import { cancelledScoring, checkerLoadError, checkerNotInstalledError, checkerNotRunnableError } from '../checkerErrors';
import { REQUIRED_CONFIG_FILES, VLM_SESSIONS, type CheckerModelManifest, type VlmVariant } from '../checkerModels';
import type { ScoreProgress } from '../checkerTypes';
import { missingCheckerFiles } from './installCheckerModel';
import { VlmChecker } from './vlmChecker';

export type VlmDevice = 'webgpu' | 'wasm' | 'cpu';

export interface LoadVlmOptions {
  store: ModelStore;
  hosts: HubHosts;
  model: CheckerModelManifest;
  variant: VlmVariant;
  device: VlmDevice;
  /** onnxruntime-web's .wasm/.mjs as the bundler emitted them, so nothing comes from transformers.js' CDN default. */
  wasmPaths?: { wasm: string; mjs: string };
  signal?: AbortSignal;
  onProgress?: (p: ScoreProgress) => void;
}

/** transformers.js' fetch while a checker loads: nothing leaves the machine; a file not in the store is "not found". */
const storeOnlyFetch: typeof fetch = async () => new Response(null, { status: 404, statusText: 'Not in the model store' });

/**
 * Points transformers.js at the model store and nowhere else: its custom cache answers from verified stored
 * files; local paths are off; and "remote" requests (transformers.js refuses to run with both sources off)
 * go to a fetch that answers 404 without touching the network, so optional files simply count as absent.
 */
export function readModelsFromStoreOnly(store: ModelStore, hosts: HubHosts): void {
  Object.assign(env, {
    remoteHost: `${downloadBase(hosts)}/`,
    allowLocalModels: false,
    allowRemoteModels: true,
    useBrowserCache: false,
    useFSCache: false,
    useWasmCache: false,
    useCustomCache: true,
    customCache: createHubFileCache(store, hosts),
    fetch: storeOnlyFetch,
  });
}

export async function loadVlmChecker(options: LoadVlmOptions): Promise<VlmChecker> {
  const { model, variant } = options;
  if (!model.runnable) throw checkerNotRunnableError(model.name, model.notRunnableReason ?? 'not supported');
  const missing = await missingCheckerFiles(options);
  if (missing.length > 0) throw checkerNotInstalledError(model.name, missing);

  readModelsFromStoreOnly(options.store, options.hosts);
  const onnx = env.backends.onnx as { wasm?: { wasmPaths?: unknown; numThreads?: number } };
  if (options.wasmPaths && onnx.wasm) onnx.wasm.wasmPaths = { ...options.wasmPaths };

  const repo = model.repo ?? '';
  const files = new Set<string>();
  const expected = REQUIRED_CONFIG_FILES.length + VLM_SESSIONS.length;
  const progress_callback = (event: { status: string; file?: string }) => {
    if (event.status !== 'done' || !event.file) return;
    files.add(event.file);
    options.onProgress?.({ done: Math.min(files.size, expected), total: expected, label: `Loaded ${event.file}` });
  };
  try {
    options.onProgress?.({ done: 0, total: expected, label: `Loading ${model.name} from the model store` });
    const processor = await AutoProcessor.from_pretrained(repo, { revision: model.revision, progress_callback });
    if (options.signal?.aborted) throw cancelledScoring();
    const vlm = await AutoModelForVision2Seq.from_pretrained(repo, {
      revision: model.revision,
      dtype: variant.dtype,
      device: options.device,
      progress_callback,
    });
    if (options.signal?.aborted) {
      await vlm.dispose();
      throw cancelledScoring();
    }
    return new VlmChecker(processor, vlm, {
      id: model.id,
      label: model.name,
      device: options.device,
      imageSplitting: model.imageSplitting,
    });
  } catch (error) {
    if (error instanceof Error && error.name === 'StudioError') throw error;
    throw checkerLoadError(model.name, error);
  }
}
