// Installs a checker VLM's files into the model store, verified, under their hub identity (so transformers.js finds them offline).
import { createHubFileCache, hostGuardedFetch } from '../../storage/hubFileCache';
import { hubFileUrl, type HubHosts } from '../../shared/hubHosts';
import { pinKey, type ModelStore } from '../../storage/modelStore';
import { StudioError } from '../../shared/errors';
import { cancelledScoring } from '../checkerErrors';
import { REQUIRED_CONFIG_FILES, variantOnnxFiles, type CheckerFile, type CheckerModelManifest, type VlmVariant } from '../checkerModels';
import type { ScoreProgress } from '../checkerTypes';

export interface InstallOptions {
  store: ModelStore;
  model: CheckerModelManifest;
  variant: VlmVariant;
  hosts: HubHosts;
  /** The app's base URL (for bundled models, whose files ship with the app). */
  appBaseUrl: string;
  signal?: AbortSignal;
  onProgress?: (p: ScoreProgress & { loadedBytes: number; totalBytes: number }) => void;
  fetchFn?: typeof fetch;
}

/** The files a variant needs; for a bundled model with the sizes and sha256 its manifest.json gives. */
export async function checkerFilesFor(
  options: Pick<InstallOptions, 'model' | 'variant' | 'appBaseUrl' | 'fetchFn'>,
): Promise<CheckerFile[]> {
  const { model, variant } = options;
  const wanted = [...model.sharedFiles, ...variantOnnxFiles(variant)];
  if (model.source !== 'bundled') return wanted;
  const url = new URL(`${model.bundledPath}manifest.json`, options.appBaseUrl).href;
  const response = await (options.fetchFn ?? fetch)(url);
  if (!response.ok) {
    throw new StudioError({
      code: 'model-load',
      stage: 'load',
      message: `Checker: ${url} answered ${response.status}; the built-in test model's file list is missing.`,
      remedy: 'Rebuild the app (npm run build) or run npm run model:tiny-vlm.',
    });
  }
  const listed = ((await response.json()) as { files: CheckerFile[] }).files;
  const onnx = new Set(variantOnnxFiles(variant).map((f) => f.path));
  return listed.filter((f) => !f.path.startsWith('onnx/') || onnx.has(f.path));
}

/**
 * Copies each missing file into the store through hubFileCache.put: content sniffing, the declared size,
 * and a sha256 pin (the bundled manifest's sha256, or the first verified download's). Files already
 * stored and verified are skipped, so a second install costs nothing and works offline.
 */
export async function installCheckerModel(options: InstallOptions): Promise<{ files: string[]; copiedBytes: number }> {
  const { store, model, hosts } = options;
  if (!model.repo || !model.revision)
    throw new StudioError({
      code: 'model-load',
      stage: 'load',
      message: `Checker: ${model.name} has no hub identity.`,
      remedy: 'Choose another checker model.',
    });
  const repo = model.repo;
  const revision = model.revision;
  const cache = createHubFileCache(store, hosts);
  const files = await checkerFilesFor(options);
  const totalBytes = files.reduce((sum, f) => sum + (f.size ?? f.approxSize ?? 0), 0);
  const guarded = hostGuardedFetch(hosts, options.fetchFn);
  const plainFetch = options.fetchFn ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  let loadedBytes = 0;
  let copiedBytes = 0;

  for (const [index, file] of files.entries()) {
    if (options.signal?.aborted) throw cancelledScoring();
    const key = hubFileUrl(hosts, repo, revision, file.path);
    const stored = await cache.match(key);
    const report = (extra: number) =>
      options.onProgress?.({
        done: index,
        total: files.length,
        label: `Installing ${file.path}`,
        loadedBytes: loadedBytes + extra,
        totalBytes,
      });
    if (stored) {
      loadedBytes += file.size ?? Number(stored.headers.get('content-length') ?? 0);
      report(0);
      continue;
    }
    if (file.sha256 && file.size !== undefined && !(await store.getPin(pinKey(repo, revision, file.path)))) {
      await store.putPin(pinKey(repo, revision, file.path), { size: file.size, sha256: file.sha256, pinnedAt: Date.now() });
    }
    const source = model.source === 'bundled' ? new URL(`${model.bundledPath}${file.path}`, options.appBaseUrl).href : key;
    const response = await (model.source === 'bundled' ? plainFetch : guarded)(source, { signal: options.signal });
    if (!response.ok) {
      throw new StudioError({
        code: 'model-load',
        stage: 'load',
        message: `Checker: ${source} answered ${response.status} ${response.statusText} while installing ${model.name}.`,
        remedy:
          model.source === 'bundled'
            ? 'Rebuild the app; the built-in test model is missing.'
            : 'Check the connection or the mirror setting, then press Install again.',
      });
    }
    await cache.put(key, response, (p) => report(p.loaded));
    loadedBytes += file.size ?? Number(response.headers.get('content-length') ?? 0);
    copiedBytes += file.size ?? 0;
    report(0);
  }
  options.onProgress?.({ done: files.length, total: files.length, label: 'Installed', loadedBytes, totalBytes });
  return { files: files.map((f) => f.path), copiedBytes };
}

/**
 * Paths transformers.js will ask for that are not yet verified in the store (empty: ready to load offline).
 * Reads only the store, so it answers with the network off.
 */
export async function missingCheckerFiles(options: Pick<InstallOptions, 'store' | 'model' | 'variant' | 'hosts'>): Promise<string[]> {
  const { model } = options;
  const cache = createHubFileCache(options.store, options.hosts);
  const needed = [...REQUIRED_CONFIG_FILES, ...variantOnnxFiles(options.variant).map((f) => f.path)];
  const missing: string[] = [];
  for (const path of needed) {
    if (!(await cache.match(hubFileUrl(options.hosts, model.repo ?? '', model.revision ?? 'main', path)))) missing.push(path);
  }
  return missing;
}
