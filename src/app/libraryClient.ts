// The page's side of the model-library worker: typed calls over shared/rpc.ts, install progress by callback.
import type { InstallPhase, InstalledModelView, LibraryApi } from '../shared/libraryProtocol';
import type { HubHostsSetting } from '../shared/protocol';
import { RpcClient, type Caller, type RpcClientOptions } from '../shared/rpc';
import type { ImportedFile } from '../storage/importModelFiles';
import type { LibraryManifest } from '../storage/libraryManifest';
import type { DownloadProgress } from '../storage/download/downloadProgress';

export type InstallProgressListener = (phase: InstallPhase, progress: DownloadProgress) => void;

/** How long each call may go without a word from the worker (see RpcClientOptions). */
const LIBRARY_SILENCE_MS: RpcClientOptions<LibraryApi>['silenceTimeoutMs'] = {
  // Reads every model's records from IndexedDB: well under a second, unless the disk is very busy.
  list: 30_000,
  // Installs report every chunk; a stalled connection is retried and finally failed by the downloader itself, and the
  // patch step of a 1.7 GB UNet reports nothing for a while: no limit here.
  download: null,
  resume: null,
  import: null,
  // Waits for the running install to finish writing its current chunk.
  pause: 60_000,
  // Waits for another tab's install of the model to stop, then deletes gigabytes of chunks.
  delete: 5 * 60_000,
  // One bounded HTTP read of a small JSON file.
  fetchManifest: 60_000,
};

/** The library's calls, to its worker (inWorker) or to its handlers in this thread (InProcessCaller, in Node). */
export class LibraryClient {
  constructor(private readonly rpc: Caller<LibraryApi>) {}

  static inWorker(): LibraryClient {
    return new LibraryClient(
      new RpcClient<LibraryApi>({
        name: 'model library',
        start: () => new Worker(new URL('../worker/library.worker.ts', import.meta.url), { type: 'module', name: 'library' }),
        silenceTimeoutMs: LIBRARY_SILENCE_MS,
        crashRemedy: 'Try again; the verified parts of downloads are kept.',
      }),
    );
  }

  list(): Promise<InstalledModelView[]> {
    return this.rpc.call('list', undefined).done;
  }

  download(
    manifest: LibraryManifest,
    variantIds: string[],
    hosts: HubHostsSetting,
    onProgress: InstallProgressListener,
  ): Promise<InstalledModelView | null> {
    return this.rpc.call('download', { manifest, variantIds, hosts }, { onProgress: (p) => onProgress(p.phase, p.progress) }).done;
  }

  resume(modelId: string, hosts: HubHostsSetting, onProgress: InstallProgressListener): Promise<InstalledModelView | null> {
    return this.rpc.call('resume', { modelId, hosts }, { onProgress: (p) => onProgress(p.phase, p.progress) }).done;
  }

  import(manifest: LibraryManifest, files: ImportedFile[], onProgress: InstallProgressListener): Promise<InstalledModelView | null> {
    return this.rpc.call('import', { manifest, files }, { onProgress: (p) => onProgress(p.phase, p.progress) }).done;
  }

  pause(modelId: string): Promise<void> {
    return this.rpc.call('pause', { modelId }).done;
  }

  delete(modelId: string): Promise<void> {
    return this.rpc.call('delete', { modelId }).done;
  }

  fetchManifest(url: string, hosts: HubHostsSetting): Promise<LibraryManifest> {
    return this.rpc.call('fetchManifest', { url, hosts }).done;
  }
}
