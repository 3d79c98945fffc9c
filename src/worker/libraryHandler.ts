// Model-library request handler: downloads, imports, pauses and deletes against the model store; testable without a Worker.
import { StudioError } from '../shared/errors';
import type { InstalledModelView, LibraryRequest, LibraryResponse } from '../shared/libraryProtocol';
import { patchInstalledDenoisers } from '../storage/installDenoiserPatch';
import { assertAllowedHost, type LibraryManifest } from '../storage/libraryManifest';
import { checkLibraryManifest } from '../storage/manifestSchema';
import type { InstalledModelRecord, ModelStore } from '../storage/modelStore';
import { deleteInstalledModel, summarizeModel } from '../storage/storedModels';
import { manifestToResume } from '../storage/download/installPlan';
import { onStopRequest, withDeleteLock, withInstallLock } from '../storage/modelLock';
import { MAX_MANIFEST_BYTES, readBoundedText } from '../storage/download/boundedRead';
import { importModelFiles } from '../storage/importModelFiles';
import { hostGuardedFetch } from '../storage/hubFileCache';
import { downloadModel, type DownloadModelOptions } from '../storage/download/downloadModel';
import type { DownloadProgress } from '../storage/download/downloadProgress';

export type LibraryPost = (message: LibraryResponse) => void;

/** `downloadDefaults` lets tests shorten retry waits or chunk sizes; the app uses the downloader's own. */
export function createLibraryHandler(post: LibraryPost, store: ModelStore, downloadDefaults: Partial<DownloadModelOptions> = {}) {
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
    const attentionControl: InstalledModelView['attentionControl'] = refused?.state === 'unpatchable'
      ? { state: 'unpatchable', reason: refused.reason }
      : { state: patches.length > 0 && patches.every((p) => p?.state === 'patched') ? 'patched' : 'pending' };
    return { ...summary, manifest: model.manifest, attentionControl };
  }

  async function install(id: number, manifest: LibraryManifest, work: (signal: AbortSignal) => Promise<unknown>): Promise<void> {
    if (running.has(manifest.id)) {
      throw new StudioError({ code: 'storage', stage: 'load', message: `${manifest.name} is already being installed.`, remedy: 'Wait for it, or pause it first.' });
    }
    const controller = new AbortController();
    // The lock (and `finished`, which a delete in this tab waits for) covers the files and the patch step alike.
    const finished = withInstallLock(manifest.id, manifest.name, async () => {
      await work(controller.signal);
      // Patching runs once every file verified: a patched graph replaces the hub's in one transaction.
      post({ type: 'progress', id, modelId: manifest.id, phase: 'patch', progress: { modelId: manifest.id, files: [], loaded: 0, bytesPerSecond: 0 } });
      await patchInstalledDenoisers(store, manifest.id, { chunkBytes: downloadDefaults.chunkBytes });
    });
    running.set(manifest.id, { controller, finished, startedAt: Date.now() });
    try {
      await finished;
      const record = await store.getModel(manifest.id);
      if (record) post({ type: 'installed', id, model: await view(record) });
    } finally {
      running.delete(manifest.id);
    }
  }

  const download = (id: number, manifest: LibraryManifest, variantIds: string[], hosts: DownloadModelOptions['hosts']) =>
    install(id, manifest, (signal) =>
      downloadModel({
        ...downloadDefaults,
        store, manifest, variantIds, hosts, signal,
        onProgress: (progress: DownloadProgress) => post({ type: 'progress', id, modelId: manifest.id, phase: 'download', progress }),
      }),
    );

  async function handleRequest(req: LibraryRequest): Promise<void> {
    switch (req.type) {
      case 'list': {
        // Also groups of hub files transformers.js stored (the checker VLM): listed with sizes so they can be deleted.
        const models = await Promise.all((await store.listModels()).map(view));
        post({ type: 'listed', id: req.id, models: models.sort((a, b) => a.name.localeCompare(b.name)) });
        return;
      }
      case 'download':
        return download(req.id, req.manifest, req.variantIds, req.hosts);
      case 'resume': {
        const record = await store.getModel(req.modelId);
        const resumed = record && manifestToResume(record);
        if (!resumed) throw new StudioError({ code: 'storage', stage: 'load', message: `Nothing of "${req.modelId}" is stored to resume.`, remedy: 'Download the model from the list.' });
        return download(req.id, resumed.manifest, resumed.variantIds, req.hosts);
      }
      case 'import':
        return install(req.id, req.manifest, () =>
          importModelFiles({
            store, manifest: req.manifest, variantIds: req.variantIds, files: req.files, chunkBytes: downloadDefaults.chunkBytes,
            onProgress: ({ loaded, total }) => post({ type: 'progress', id: req.id, modelId: req.manifest.id, phase: 'import', progress: { modelId: req.manifest.id, files: [], loaded, total, bytesPerSecond: 0 } }),
          }),
        );
      case 'pause':
        await stop(req.modelId);
        post({ type: 'done', id: req.id });
        return;
      case 'delete':
        await stop(req.modelId);
        await withDeleteLock(req.modelId, () => deleteInstalledModel(store, req.modelId));
        post({ type: 'done', id: req.id });
        return;
      case 'fetch-manifest': {
        assertAllowedHost(req.url, req.hosts); // before anything is sent
        const response = await hostGuardedFetch(req.hosts)(req.url, { cache: 'no-store' });
        if (!response.ok) {
          throw new StudioError({ code: 'model-load', stage: 'load', message: `The model manifest at ${req.url} answered HTTP ${response.status}.`, remedy: 'Check the URL and that the hub or mirror serves it.' });
        }
        const text = await readBoundedText(response, MAX_MANIFEST_BYTES, `The model manifest at ${req.url}`);
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        post({ type: 'manifest', id: req.id, manifest: checkLibraryManifest(json, req.url) });
        return;
      }
    }
  }

  return async function handle(req: LibraryRequest): Promise<void> {
    try {
      await handleRequest(req);
    } catch (error) {
      post({ type: 'error', id: req.id, error: StudioError.from(error, 'load').toWire() });
    }
  };
}
