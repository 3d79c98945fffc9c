// Typed RPC client for the model-library worker: one promise per request, install progress by callback, typed errors.
import { StudioError } from '../shared/errors';
import type { InstallPhase, InstalledModelView, LibraryRequest, LibraryResponse } from '../shared/libraryProtocol';
import type { HubHostsSetting } from '../shared/protocol';
import type { ImportedFile } from '../storage/importModelFiles';
import type { LibraryManifest } from '../storage/libraryManifest';
import type { DownloadProgress } from '../storage/download/downloadProgress';

type Progress = Extract<LibraryResponse, { type: 'progress' }>;
type Settled = Exclude<LibraryResponse, Progress | { type: 'error' }>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type InstallProgressListener = (phase: InstallPhase, progress: DownloadProgress) => void;

export class LibraryClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Settled) => void; reject: (e: StudioError) => void; onProgress?: (p: Progress) => void }>();

  constructor(private readonly worker: Worker) {
    worker.onmessage = (event: MessageEvent<LibraryResponse>) => this.receive(event.data);
    worker.onerror = (event) => {
      const error = new StudioError({ code: 'internal', stage: 'worker', message: `The model library worker crashed: ${event.message}`, remedy: 'Reload the page; finished parts of downloads are kept.' });
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
  }

  static start(): LibraryClient {
    return new LibraryClient(new Worker(new URL('../worker/library.worker.ts', import.meta.url), { type: 'module', name: 'library' }));
  }

  async list(): Promise<InstalledModelView[]> {
    const r = await this.request({ type: 'list' });
    return r.type === 'listed' ? r.models : [];
  }

  async download(manifest: LibraryManifest, variantIds: string[], hosts: HubHostsSetting, onProgress: InstallProgressListener): Promise<InstalledModelView | undefined> {
    return installed(await this.request({ type: 'download', manifest, variantIds, hosts }, (p) => onProgress(p.phase, p.progress)));
  }

  async resume(modelId: string, hosts: HubHostsSetting, onProgress: InstallProgressListener): Promise<InstalledModelView | undefined> {
    return installed(await this.request({ type: 'resume', modelId, hosts }, (p) => onProgress(p.phase, p.progress)));
  }

  async import(manifest: LibraryManifest, files: ImportedFile[], onProgress: InstallProgressListener): Promise<InstalledModelView | undefined> {
    return installed(await this.request({ type: 'import', manifest, files }, (p) => onProgress(p.phase, p.progress)));
  }

  async pause(modelId: string): Promise<void> {
    await this.request({ type: 'pause', modelId });
  }

  async delete(modelId: string): Promise<void> {
    await this.request({ type: 'delete', modelId });
  }

  async fetchManifest(url: string, hosts: HubHostsSetting): Promise<LibraryManifest | undefined> {
    const r = await this.request({ type: 'fetch-manifest', url, hosts });
    return r.type === 'manifest' ? r.manifest : undefined;
  }

  private request(req: DistributiveOmit<LibraryRequest, 'id'>, onProgress?: (p: Progress) => void): Promise<Settled> {
    const id = this.nextId++;
    return new Promise<Settled>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.worker.postMessage({ ...req, id } as LibraryRequest);
    });
  }

  private receive(msg: LibraryResponse): void {
    const pending = this.pending.get(msg.id);
    if (!pending) return;
    if (msg.type === 'progress') return void pending.onProgress?.(msg);
    this.pending.delete(msg.id);
    if (msg.type === 'error') pending.reject(StudioError.fromWire(msg.error));
    else pending.resolve(msg);
  }
}

function installed(r: Settled): InstalledModelView | undefined {
  return r.type === 'installed' ? r.model : undefined;
}

let library: LibraryClient | null = null;

/** The one library worker client of the page, started on first use. */
export function getLibrary(): LibraryClient {
  library ??= LibraryClient.start();
  return library;
}
