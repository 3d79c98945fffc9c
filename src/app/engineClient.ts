// Typed RPC client for the engine worker: one promise per request, progress by callback, typed errors.
import { StudioError } from '../shared/errors';
import type { BackendPreference, EngineRequest, EngineResponse } from '../shared/protocol';
import type { GenerationSettings } from '../shared/settings';

type Ready = Extract<EngineResponse, { type: 'ready' }>;
type Result = Extract<EngineResponse, { type: 'result' }>;
type Progress = Extract<EngineResponse, { type: 'progress' | 'load-progress' }>;

interface Pending {
  resolve: (r: EngineResponse) => void;
  reject: (e: StudioError) => void;
  onProgress?: (p: Progress) => void;
}

export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly worker: Worker) {
    worker.onmessage = (event: MessageEvent<EngineResponse>) => this.receive(event.data);
    worker.onerror = (event) => {
      const error = new StudioError({ code: 'internal', stage: 'worker', message: `The engine worker crashed: ${event.message}`, remedy: 'Reload the page. Your gallery is kept.' });
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
  }

  static start(): EngineClient {
    return new EngineClient(new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' }));
  }

  init(preference: BackendPreference, onProgress?: (p: Progress) => void, variantId?: string): Promise<Ready> {
    const base = import.meta.env.BASE_URL;
    return this.request<Ready>(
      (id) => ({ type: 'init', id, preference, variantId, modelBaseUrl: new URL(`${base}models/tiny-sd/`, location.href).href, graphsBaseUrl: new URL(`${base}graphs/`, location.href).href }),
      onProgress,
    );
  }

  /** Starts a generation; `cancel()` on the returned handle stops it between denoising steps. */
  generate(settings: GenerationSettings, onProgress?: (p: Progress) => void): { id: number; done: Promise<Result>; cancel: () => void } {
    let requestId = 0;
    const done = this.request<Result>((id) => ((requestId = id), { type: 'generate', id, settings }), onProgress);
    return { id: requestId, done, cancel: () => this.post({ type: 'cancel', id: this.nextId++, targetId: requestId }) };
  }

  private request<T extends EngineResponse>(make: (id: number) => EngineRequest, onProgress?: (p: Progress) => void): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: EngineResponse) => void, reject, onProgress });
      this.post(make(id));
    });
  }

  private post(req: EngineRequest): void {
    this.worker.postMessage(req);
  }

  private receive(msg: EngineResponse): void {
    const pending = this.pending.get(msg.id);
    if (!pending) return;
    if (msg.type === 'progress' || msg.type === 'load-progress') {
      pending.onProgress?.(msg);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.type === 'error') pending.reject(StudioError.fromWire(msg.error));
    else pending.resolve(msg);
  }
}
