// Typed RPC client for the checker worker: one promise per request, progress by callback, cancel by id.
import { StudioError } from '../../shared/errors';
import type { HubHosts } from '../../storage/libraryManifest';
import type { CheckerModelId } from '../checkerModels';
import type { CheckerDevicePreference, CheckerRequest, CheckerResponse } from './checkerProtocol';

type Progress = Extract<CheckerResponse, { type: 'progress' }>;
type Reply<T extends CheckerResponse['type']> = Extract<CheckerResponse, { type: T }>;

export interface CheckerJob<T> {
  id: number;
  done: Promise<T>;
  cancel: () => void;
}

interface Pending {
  resolve: (r: CheckerResponse) => void;
  reject: (e: StudioError) => void;
  onProgress?: (p: Progress) => void;
}

export class CheckerClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly worker: Worker) {
    worker.onmessage = (event: MessageEvent<CheckerResponse>) => this.receive(event.data);
    worker.onerror = (event) => {
      const error = new StudioError({ code: 'internal', stage: 'worker', message: `Checker: the checker worker crashed: ${event.message}`, remedy: 'Reload the page; the studio works without the checker.' });
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
  }

  /** Starts the worker; the panel calls this only once it is opened, so a closed panel loads nothing. */
  static start(): CheckerClient {
    return new CheckerClient(new Worker(new URL('./checker.worker.ts', import.meta.url), { type: 'module', name: 'checker' }));
  }

  status(modelId: CheckerModelId, hosts: HubHosts, device: CheckerDevicePreference): Promise<Reply<'status'>> {
    return this.request<Reply<'status'>>((id) => ({ type: 'status', id, modelId, hosts, device })).done;
  }

  install(modelId: CheckerModelId, hosts: HubHosts, device: CheckerDevicePreference, appBaseUrl: string, onProgress?: (p: Progress) => void): CheckerJob<Reply<'installed'>> {
    return this.request((id) => ({ type: 'install', id, modelId, hosts, device, appBaseUrl }), onProgress);
  }

  load(modelId: CheckerModelId, hosts: HubHosts, device: CheckerDevicePreference, onProgress?: (p: Progress) => void): CheckerJob<Reply<'loaded'>> {
    return this.request((id) => ({ type: 'load', id, modelId, hosts, device }), onProgress);
  }

  /** Scores PNG bytes; the bytes are copied (the caller keeps its Blob), not transferred. */
  score(png: Uint8Array, questions: string[], onProgress?: (p: Progress) => void): CheckerJob<Reply<'scores'>> {
    return this.request((id) => ({ type: 'score', id, png, questions }), onProgress);
  }

  private request<T extends CheckerResponse>(make: (id: number) => CheckerRequest, onProgress?: (p: Progress) => void): CheckerJob<T> {
    const id = this.nextId++;
    const done = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: CheckerResponse) => void, reject, onProgress });
      this.worker.postMessage(make(id));
    });
    return { id, done, cancel: () => this.worker.postMessage({ type: 'cancel', id: this.nextId++, targetId: id } satisfies CheckerRequest) };
  }

  private receive(message: CheckerResponse): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === 'progress') {
      pending.onProgress?.(message);
      return;
    }
    this.pending.delete(message.id);
    if (message.type === 'error') pending.reject(StudioError.fromWire(message.error));
    else pending.resolve(message);
  }
}
