// Model-library handlers: downloads, imports, pauses and deletes against the model store; testable without a Worker.
import { StudioError } from '../shared/errors';
import type { InstallProgress, InstalledModelView, LibraryApi } from '../shared/libraryProtocol';
import type { Handlers } from '../shared/rpc';
import { patchInstalledDenoisers } from './installDenoiserPatch';
import { assertAllowedHost, type LibraryManifest } from '../storage/libraryManifest';
import { checkLibraryManifest } from '../storage/manifestSchema';
import type { InstalledModelRecord, ModelStore } from '../storage/modelStore';
import { deleteInstalledModel, summarizeModel } from '../storage/storedModels';
import { manifestToResume } from '../storage/download/installPlan';
import { announceDeleted, onStopRequest, withDeleteLock, withInstallLock } from '../storage/modelLock';
import { MAX_MANIFEST_BYTES, readBoundedText } from '../storage/download/boundedRead';
import { importModelFiles } from '../storage/importModelFiles';
import { hostGuardedFetch } from '../storage/hubFileCache';
import { downloadModel, type DownloadModelOptions } from '../storage/download/downloadModel';
import type { DownloadProgress } from '../storage/download/downloadProgress';

/** `downloadDefaults` lets tests shorten retry waits or chunk sizes; the app uses the downloader's own. */
export function createLibraryHandlers(store: ModelStore, downloadDefaults: Partial<DownloadModelOptions> = {}): Handlers<LibraryApi> {
  /** Running installs by model id: aborting one pauses it (its verified chunks stay). */
  const running = new Map<string, { controller: AbortController; finished: Promise<unknown>; startedAt: number }>();

  /** Pauses a running install and waits until it stopped writing (a delete must not race a last chunk). */
  async function stop(modelId: string): Promise<void> {
    const run = running.get(modelId);
    run?.controller.abort();
    await run?.finished.catch(() => undefined);
  }
  // A delete in another tab asks every tab to stop installing that model before it takes the model's lock.
  onStopRequest((modelId, sentAt) => {
    const run = running.get(modelId);
    if (run && run.startedAt <= sentAt) run.controller.abort();
  });

  async function view(model: InstalledModelRecord): Promise<InstalledModelView> {
    const summary = await summarizeModel(store, model);
    const unets = new Set(model.manifest?.variants.filter((v) => model.variantIds.includes(v.id)).map((v) => v.files.unet) ?? []);
    const patches = await Promise.all([...unets].map(async (path) => (await store.getFile(model.id, path))?.attentionPatch));
    const refused = patches.find((p) => p?.state === 'unpatchable');
    const attentionControl: InstalledModelView['attentionControl'] =
      refused?.state === 'unpatchable'
        ? { state: 'unpatchable', reason: refused.reason }
        : { state: patches.length > 0 && patches.every((p) => p?.state === 'patched') ? 'patched' : 'pending' };
    return { ...summary, manifest: model.manifest, attentionControl };
  }

  type Report = (progress: InstallProgress) => void;

  async function install(
    manifest: LibraryManifest,
    report: Report,
    work: (signal: AbortSignal) => Promise<unknown>,
  ): Promise<InstalledModelView | null> {
    if (running.has(manifest.id)) {
      throw new StudioError({
        code: 'storage',
        stage: 'load',
        message: `${manifest.name} is already being installed.`,
        remedy: 'Wait for it, or pause it first.',
      });
    }
    const controller = new AbortController();
    // The lock (and `finished`, which a delete in this tab waits for) covers the files and the patch step alike.
    const finished = withInstallLock(manifest.id, manifest.name, async () => {
      await work(controller.signal);
      // Patching runs once every file verified: a patched graph replaces the hub's in one transaction.
      report({ modelId: manifest.id, phase: 'patch', progress: { modelId: manifest.id, files: [], loaded: 0, bytesPerSecond: 0 } });
      await patchInstalledDenoisers(store, manifest.id, { chunkBytes: downloadDefaults.chunkBytes });
    });
    running.set(manifest.id, { controller, finished, startedAt: Date.now() });
    try {
      await finished;
      const record = await store.getModel(manifest.id);
      return record ? await view(record) : null;
    } finally {
      running.delete(manifest.id);
    }
  }

  const download = (manifest: LibraryManifest, variantIds: string[], hosts: DownloadModelOptions['hosts'], report: Report) =>
    install(manifest, report, (signal) =>
      downloadModel({
        ...downloadDefaults,
        store,
        manifest,
        variantIds,
        hosts,
        signal,
        onProgress: (progress: DownloadProgress) => report({ modelId: manifest.id, phase: 'download', progress }),
      }),
    );

  return {
    // Also groups of hub files transformers.js stored (the checker VLM): listed with sizes so they can be deleted.
    list: async () => (await Promise.all((await store.listModels()).map(view))).sort((a, b) => a.name.localeCompare(b.name)),
    download: ({ manifest, variantIds, hosts }, { progress }) => download(manifest, variantIds, hosts, progress),
    async resume({ modelId, hosts }, { progress }) {
      const record = await store.getModel(modelId);
      const resumed = record && manifestToResume(record);
      if (!resumed)
        throw new StudioError({
          code: 'storage',
          stage: 'load',
          message: `Nothing of "${modelId}" is stored to resume.`,
          remedy: 'Download the model from the list.',
        });
      return download(resumed.manifest, resumed.variantIds, hosts, progress);
    },
    import: ({ manifest, variantIds, files }, { progress }) =>
      install(manifest, progress, () =>
        importModelFiles({
          store,
          manifest,
          variantIds,
          files,
          chunkBytes: downloadDefaults.chunkBytes,
          onProgress: ({ loaded, total }) =>
            progress({
              modelId: manifest.id,
              phase: 'import',
              progress: { modelId: manifest.id, files: [], loaded, total, bytesPerSecond: 0 },
            }),
        }),
      ),
    pause: ({ modelId }) => stop(modelId),
    async delete({ modelId }) {
      await stop(modelId);
      await withDeleteLock(modelId, () => deleteInstalledModel(store, modelId));
      announceDeleted(modelId);
    },
    async fetchManifest({ url, hosts }) {
      assertAllowedHost(url, hosts); // before anything is sent
      const response = await hostGuardedFetch(hosts)(url, { cache: 'no-store' });
      if (!response.ok) {
        throw new StudioError({
          code: 'model-load',
          stage: 'load',
          message: `The model manifest at ${url} answered HTTP ${response.status}.`,
          remedy: 'Check the URL and that the hub or mirror serves it.',
        });
      }
      const text = await readBoundedText(response, MAX_MANIFEST_BYTES, `The model manifest at ${url}`);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return checkLibraryManifest(json, url);
    },
  };
}

/** Library errors belong to the load stage (installing is loading a model into the browser). */
export const libraryError = (error: unknown): StudioError => StudioError.from(error, 'load');
