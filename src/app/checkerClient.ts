// The page's side of the checker worker: typed calls over shared/rpc.ts, progress by callback, cancel by handle.
import type { CheckerApi, CheckerDevicePreference, CheckerModelId, CheckerProgress } from '../shared/checkerProtocol';
import type { HubHostsSetting } from '../shared/protocol';
import { RpcClient, type Caller, type RpcClientOptions } from '../shared/rpc';

export interface CheckerJob<T> {
  id: number;
  done: Promise<T>;
  cancel: () => void;
}

type Reply<M extends keyof CheckerApi> = CheckerApi[M]['reply'];

/** How long each call may go without a word from the worker (see RpcClientOptions). */
const CHECKER_SILENCE_MS: RpcClientOptions<CheckerApi>['silenceTimeoutMs'] = {
  // Reads the model's file records from the store (and asks for a GPU adapter).
  status: 60_000,
  // Copies reports per file; a hub download of a 500 MB decoder reports as it goes, but stalls are the downloader's to fail.
  install: null,
  // Loading reports per session; creating a VLM decoder session on WASM has taken minutes.
  load: 10 * 60_000,
  // Scoring reports per question; one question of a 1B VLM on WASM can take minutes.
  score: 10 * 60_000,
};

/** The checker's calls, to its worker (inWorker) or to its handlers in this thread (InProcessCaller, in Node). */
export class CheckerClient {
  /** Told when the worker crashed: the worker that takes the next call has no checker model loaded. */
  onCrash: (() => void) | null = null;

  constructor(private readonly rpc: Caller<CheckerApi>) {}

  /** The checker in its worker; the panel starts it only once it is opened, so a closed panel loads nothing. */
  static inWorker(): CheckerClient {
    const client: CheckerClient = new CheckerClient(
      new RpcClient<CheckerApi>({
        name: 'checker',
        start: () => new Worker(new URL('../worker/checker.worker.ts', import.meta.url), { type: 'module', name: 'checker' }),
        silenceTimeoutMs: CHECKER_SILENCE_MS,
        crashRemedy: 'Try again; the checker model loads again first.',
        onCrash: () => client.onCrash?.(),
      }),
    );
    return client;
  }

  status(modelId: CheckerModelId, hosts: HubHostsSetting, device: CheckerDevicePreference): Promise<Reply<'status'>> {
    return this.rpc.call('status', { modelId, hosts, device }).done;
  }

  install(
    modelId: CheckerModelId,
    hosts: HubHostsSetting,
    device: CheckerDevicePreference,
    appBaseUrl: string,
    onProgress?: (p: CheckerProgress) => void,
  ): CheckerJob<Reply<'install'>> {
    return this.rpc.call('install', { modelId, hosts, device, appBaseUrl }, { onProgress });
  }

  load(
    modelId: CheckerModelId,
    hosts: HubHostsSetting,
    device: CheckerDevicePreference,
    onProgress?: (p: CheckerProgress) => void,
  ): CheckerJob<Reply<'load'>> {
    return this.rpc.call('load', { modelId, hosts, device }, { onProgress });
  }

  /** Scores PNG bytes; the bytes are copied (the caller keeps its Blob), not transferred. */
  score(png: Uint8Array, questions: string[], onProgress?: (p: CheckerProgress) => void): CheckerJob<Reply<'score'>> {
    return this.rpc.call('score', { png, questions }, { onProgress });
  }
}
