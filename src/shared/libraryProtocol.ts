// The typed message protocol between the page and the model-library worker: downloads, imports, deletes, listing.
import type { WireError } from './errors';
import type { HubHostsSetting } from './protocol';
import type { LibraryManifest } from '../storage/libraryManifest';
import type { InstalledModelSummary } from '../storage/storedModels';
import type { DownloadProgress } from '../storage/download/downloadProgress';
import type { ImportedFile } from '../storage/importModelFiles';

export type LibraryRequest =
  | { type: 'list'; id: number }
  | { type: 'download'; id: number; manifest: LibraryManifest; variantIds: string[]; hosts: HubHostsSetting }
  /** Continues an interrupted install with the manifest and variants stored with it (after a reload, say). */
  | { type: 'resume'; id: number; modelId: string; hosts: HubHostsSetting }
  | { type: 'import'; id: number; manifest: LibraryManifest; variantIds?: string[]; files: ImportedFile[] }
  | { type: 'pause'; id: number; modelId: string }
  | { type: 'delete'; id: number; modelId: string }
  /** Reads a model manifest (JSON) published on the hub or the mirror; any other host is refused. */
  | { type: 'fetch-manifest'; id: number; url: string; hosts: HubHostsSetting };

/** 'patch': the denoiser is being patched for attention control, after every file verified. */
export type InstallPhase = 'download' | 'import' | 'patch';

/** An installed (or partly installed) model as the Models panel lists it. */
export interface InstalledModelView extends InstalledModelSummary {
  manifest?: LibraryManifest;
  /** MaskDiffusion on this model: its denoiser was patched at install, or the patcher's reason why not. */
  attentionControl: { state: 'patched' | 'unpatchable' | 'pending'; reason?: string };
}

export type LibraryResponse =
  | { type: 'progress'; id: number; modelId: string; phase: InstallPhase; progress: DownloadProgress }
  | { type: 'listed'; id: number; models: InstalledModelView[] }
  | { type: 'installed'; id: number; model: InstalledModelView }
  | { type: 'done'; id: number }
  | { type: 'manifest'; id: number; manifest: LibraryManifest }
  | { type: 'error'; id: number; error: WireError };
