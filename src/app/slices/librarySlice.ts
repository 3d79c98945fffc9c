// The model library: catalog, installed models, installs with progress, hub/mirror settings, storage space, the model in use.
import { describeError, StudioError } from '../../shared/errors';
import type { ModelChoice } from '../../core/engine';
import type { ModelSource } from '../../shared/protocol';
import type { ImportedFile } from '../../storage/importModelFiles';
import { DEFAULT_HUB_HOSTS } from '../../shared/hubHosts';
import type { LibraryManifest } from '../../storage/libraryManifest';
import { assertManifestIdFree, manifestProblems } from '../../storage/manifestSchema';
import { SHIPPED_MANIFESTS } from '../../storage/libraryCatalog';
import { onModelDeleted } from '../../storage/modelLock';
import { requestPersistentStorage, storageUsage } from '../../storage/storageQuota';
import { variantRefusalFor } from '../../core/ort/variantFit';
import type { InstallProgressListener } from '../libraryClient';
import type { GetState, InstallState, LibrarySlice, SetState, SliceContext } from './types';

/** The library's settings persist on their own key, apart from the generation settings. */
const SETTINGS_KEY = 'studio-library';
type PersistedLibrary = Pick<LibrarySlice, 'hubHosts' | 'activeModelId' | 'customManifests'>;

function loadLibrarySettings(): Partial<PersistedLibrary> & { droppedManifests?: string[] } {
  let saved: Partial<PersistedLibrary>;
  try {
    saved = JSON.parse(globalThis.localStorage?.getItem(SETTINGS_KEY) ?? '{}') as Partial<PersistedLibrary>;
  } catch {
    return {};
  }
  // Manifests saved before they were checked against the schema may be unusable: drop those, and say so.
  const custom = Array.isArray(saved.customManifests) ? saved.customManifests : [];
  const usable = custom.filter((m) => manifestProblems(m).length === 0);
  const dropped = custom.filter((m) => !usable.includes(m)).map((m) => describeManifest(m));
  return { ...saved, customManifests: usable, droppedManifests: dropped };
}

function describeManifest(m: unknown): string {
  const problem = manifestProblems(m)[0];
  const id = typeof (m as { id?: unknown })?.id === 'string' ? `"${(m as { id: string }).id}"` : 'without an id';
  return `a model manifest ${id} ("${problem?.field}" ${problem?.problem})`;
}

function saveLibrarySettings(s: PersistedLibrary): void {
  globalThis.localStorage?.setItem(
    SETTINGS_KEY,
    JSON.stringify({ hubHosts: s.hubHosts, activeModelId: s.activeModelId, customManifests: s.customManifests }),
  );
}

/**
 * What the engine loads: the installed model in use, or (null) the built-in one; with the hosts, so the
 * worker's transformers.js loads go through the store from the configured hub or mirror only.
 */
export function activeModelSource(s: { activeModelId: string | null; hubHosts: LibrarySlice['hubHosts'] }): ModelChoice {
  const model: ModelSource | undefined = s.activeModelId ? { kind: 'store', modelId: s.activeModelId } : undefined;
  return { model, hubHosts: s.hubHosts };
}

export function createLibrarySlice(set: SetState, get: GetState, { services }: SliceContext): LibrarySlice {
  const saved = loadLibrarySettings();
  const setSaved = (change: Partial<PersistedLibrary>) => {
    set(change);
    saveLibrarySettings(get());
  };
  const setInstall = (modelId: string, change: Partial<InstallState> | null) =>
    set((s) => {
      const installs = { ...s.installs };
      if (change === null) delete installs[modelId];
      else
        installs[modelId] = {
          ...{ status: 'running', phase: 'download', progress: null, error: null },
          ...installs[modelId],
          ...change,
        } as InstallState;
      return { installs };
    });
  const onProgress =
    (modelId: string): InstallProgressListener =>
    (phase, progress) =>
      setInstall(modelId, { phase, progress, status: 'running' });

  // A delete in another tab first stops this tab's install of the model (paused here), then removes its files:
  // listing the store again then drops the paused install, which has nothing left to resume.
  onModelDeleted(() => void get().refreshLibrary());

  /** Runs one install; a pause or failure keeps what verified and says what to do in the model's row. */
  async function runInstall(modelId: string, work: () => Promise<unknown>): Promise<void> {
    setInstall(modelId, { status: 'running', error: null, progress: null });
    try {
      await work();
      setInstall(modelId, null);
    } catch (error) {
      const e = StudioError.from(error, 'load');
      setInstall(modelId, e.code === 'cancelled' ? { status: 'paused' } : { status: 'failed', error: describeError(e) });
    } finally {
      await get().refreshLibrary();
    }
  }

  return {
    libraryOpen: false,
    hubHosts: { ...DEFAULT_HUB_HOSTS, ...saved.hubHosts },
    activeModelId: saved.activeModelId ?? null,
    customManifests: saved.customManifests ?? [],
    installed: [],
    installs: {},
    storage: null,
    libraryError: saved.droppedManifests?.length
      ? `Removed ${saved.droppedManifests.join('; ')}: it could not be used. Add a corrected manifest by URL.`
      : null,
    setLibraryOpen: (libraryOpen) => {
      set({ libraryOpen });
      if (libraryOpen) void get().refreshLibrary();
    },
    setHubHosts: (patch) => setSaved({ hubHosts: { ...get().hubHosts, ...patch } }),
    refreshLibrary: async () => {
      try {
        const [installed, storage] = await Promise.all([services.library().list(), storageUsage()]);
        set({ installed, storage });
        for (const [modelId, install] of Object.entries(get().installs)) {
          if (install.status === 'paused' && !installed.some((m) => m.id === modelId)) setInstall(modelId, null);
        }
      } catch (error) {
        set({ libraryError: describeError(StudioError.from(error, 'load')) });
      }
    },
    downloadModel: async (manifest, variantIds) => {
      // Refused before a byte is fetched: a variant this backend cannot run (features, buffer limits, size).
      const refusals = manifest.variants
        .filter((v) => variantIds.includes(v.id))
        .map((v) => [v.id, variantRefusalFor(manifest.files, v, get().backend)] as const);
      const refused = refusals.find(([, reason]) => reason);
      if (refused) {
        setInstall(manifest.id, { status: 'failed', error: `${manifest.name} (${refused[0]}) cannot run here: it ${refused[1]}.` });
        return;
      }
      void requestPersistentStorage(); // from the page, on the user's click: browsers grant it only then
      await runInstall(manifest.id, () => services.library().download(manifest, variantIds, get().hubHosts, onProgress(manifest.id)));
    },
    resumeModel: async (modelId) => {
      void requestPersistentStorage();
      await runInstall(modelId, () => services.library().resume(modelId, get().hubHosts, onProgress(modelId)));
    },
    pauseModel: async (modelId) => {
      await services.library().pause(modelId);
    },
    importModel: async (manifest: LibraryManifest, files: ImportedFile[]) => {
      void requestPersistentStorage();
      await runInstall(manifest.id, () => services.library().import(manifest, files, onProgress(manifest.id)));
    },
    deleteModel: async (modelId) => {
      await services.library().delete(modelId);
      setInstall(modelId, null);
      if (get().activeModelId === modelId) await get().useModel(null);
      await get().refreshLibrary();
    },
    addManifestFromUrl: async (url) => {
      set({ libraryError: null });
      try {
        const manifest = await services.library().fetchManifest(url.trim(), get().hubHosts);
        // Checked here, where the shipped catalog is: an added manifest never shadows a shipped model or a hub group.
        if (manifest)
          assertManifestIdFree(
            manifest.id,
            SHIPPED_MANIFESTS.map((m) => m.id),
            url.trim(),
          );
        if (manifest) setSaved({ customManifests: [...get().customManifests.filter((m) => m.id !== manifest.id), manifest] });
      } catch (error) {
        set({ libraryError: describeError(StudioError.from(error, 'load')) });
      }
    },
    removeCustomManifest: (id) => setSaved({ customManifests: get().customManifests.filter((m) => m.id !== id) }),
    useModel: async (modelId) => {
      setSaved({ activeModelId: modelId });
      await get().startEngine();
    },
    dismissLibraryError: () => set({ libraryError: null }),
  };
}
