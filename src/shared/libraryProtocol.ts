// The model-library worker's API (request->reply map for shared/rpc.ts): downloads, imports, deletes, listing.
import type { Method } from './rpc';
import type { HubHostsSetting } from './protocol';
import type { LibraryManifest } from './manifest';

/** An installed model as the store sums it up (storage/storedModels.ts). */
export interface InstalledModelSummary {
  id: string;
  name: string;
  variantIds: string[];
  /** Every file verified. */
  ready: boolean;
  /**
   * Installed variants whose own files all verified: the pipeline may load these. A failed download of another
   * variant widens the model's file list but never takes a ready variant away.
   */
  readyVariantIds: string[];
  fileCount: number;
  verifiedFiles: number;
  /** Bytes held in the store for this model. */
  storedBytes: number;
  /** Bytes the complete model takes, when every size is known. */
  totalBytes?: number;
}

/** A picked or dropped file: `relativePath` is File.webkitRelativePath for a folder pick, else the name. */
export interface ImportedFile {
  relativePath: string;
  blob: Blob;
}

export type FileState = 'queued' | 'downloading' | 'verified' | 'failed';

export interface FileProgress {
  path: string;
  /** Bytes of this file received so far, including those stored by earlier sessions. */
  loaded: number;
  /** Its size, once the manifest, a pin or the server said. */
  total?: number;
  state: FileState;
}

export interface DownloadProgress {
  modelId: string;
  files: FileProgress[];
  loaded: number;
  /** Undefined while any file's size is unknown. */
  total?: number;
  /** Network bytes per second over the last SPEED_WINDOW_MS. */
  bytesPerSecond: number;
  /** Undefined until the speed and the total are known. */
  secondsLeft?: number;
}

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
