// The model-library worker's API (request->reply map for shared/rpc.ts): downloads, imports, deletes, listing.
import type { Method } from './rpc';
import type { HubHostsSetting } from './protocol';
import type { LibraryManifest } from '../storage/libraryManifest';
import type { InstalledModelSummary } from '../storage/storedModels';
import type { DownloadProgress } from '../storage/download/downloadProgress';
import type { ImportedFile } from '../storage/importModelFiles';

/** 'patch': the denoiser is being patched for attention control, after every file verified. */
export type InstallPhase = 'download' | 'import' | 'patch';

/** An installed (or partly installed) model as the Models panel lists it. */
export interface InstalledModelView extends InstalledModelSummary {
  manifest?: LibraryManifest;
  /** MaskDiffusion on this model: its denoiser was patched at install, or the patcher's reason why not. */
  attentionControl: { state: 'patched' | 'unpatchable' | 'pending'; reason?: string };
}

/** An install's progress: downloading or importing files, then patching the denoiser. */
export interface InstallProgress {
  modelId: string;
  phase: InstallPhase;
  progress: DownloadProgress;
}

/** The model-library worker's methods (see shared/rpc.ts). An install answers with the model as installed (null: gone meanwhile). */
export type LibraryApi = {
  list: Method<undefined, InstalledModelView[]>;
  download: Method<{ manifest: LibraryManifest; variantIds: string[]; hosts: HubHostsSetting }, InstalledModelView | null, InstallProgress>;
  /** Continues an interrupted install with the manifest and variants stored with it (after a reload, say). */
  resume: Method<{ modelId: string; hosts: HubHostsSetting }, InstalledModelView | null, InstallProgress>;
  import: Method<{ manifest: LibraryManifest; variantIds?: string[]; files: ImportedFile[] }, InstalledModelView | null, InstallProgress>;
  pause: Method<{ modelId: string }, void>;
  delete: Method<{ modelId: string }, void>;
  /** Reads a model manifest (JSON) published on the hub or the mirror; any other host is refused. */
  fetchManifest: Method<{ url: string; hosts: HubHostsSetting }, LibraryManifest>;
};
