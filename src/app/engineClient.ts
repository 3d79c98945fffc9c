// Typed RPC client for the engine worker: one promise per request, progress by callback, typed errors.
import { StudioError } from '../shared/errors';
import type { BackendPreference, EngineRequest, EngineResponse, HubHostsSetting, ModelSource, TeachingOptions } from '../shared/protocol';
import type { GenerationSettings } from '../shared/settings';

type Ready = Extract<EngineResponse, { type: 'ready' }>;
type Result = Extract<EngineResponse, { type: 'result' }>;
type Decoded = Extract<EngineResponse, { type: 'decoded' }>;
/** Messages that report on a request without ending it. */
type Progress = Extract<EngineResponse, { type: 'progress' | 'load-progress' | 'paused' | 'snapshot' }>;

export interface GenerationHandle {
  id: number;
  done: Promise<Result>;
  cancel: () => void;
  pause: () => void;
  resume: () => void;
  step: () => void;
}

interface Pending {
  resolve: (r: EngineResponse) => void;
  reject: (e: StudioError) => void;
  onProgress?: (p: Progress) => void;
}

/** The built-in tiny model, served with the app from public/models/tiny-sd/. */
export function builtInModelSource(): ModelSource {
  return { kind: 'url', baseUrl: new URL(`${import.meta.env.BASE_URL}models/tiny-sd/`, location.href).href };
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

  /** Loads a model: by default the built-in one served with the app; `source` names an installed one instead. */
  init(preference: BackendPreference, onProgress?: (p: Progress) => void, variantId?: string, source?: { model: ModelSource; hubHosts?: HubHostsSetting }): Promise<Ready> {
    const base = import.meta.env.BASE_URL;
    const model = source?.model ?? builtInModelSource();
    return this.request<Ready>(
      (id) => ({ type: 'init', id, preference, variantId, model, hubHosts: source?.hubHosts, graphsBaseUrl: new URL(`${base}graphs/`, location.href).href }),
      onProgress,
    );
  }

  /** Starts a generation; the handle cancels, pauses, single-steps or resumes it between denoising steps. */
  generate(settings: GenerationSettings, onProgress?: (p: Progress) => void, teaching?: TeachingOptions, heatmaps = false): GenerationHandle {
    let requestId = 0;
    const done = this.request<Result>((id) => ((requestId = id), { type: 'generate', id, settings, teaching, heatmaps }), onProgress);
    const send = (type: 'cancel' | 'pause' | 'resume' | 'step') => () => this.post({ type, id: this.nextId++, targetId: requestId });
    return { id: requestId, done, cancel: send('cancel'), pause: send('pause'), resume: send('resume'), step: send('step') };
  }

  /** Decodes one step's x0 of a step-by-step run with the full VAE; resolves to PNG bytes. */
  async decodeStep(generationId: number, stepIndex: number): Promise<Uint8Array> {
    const decoded = await this.request<Decoded>((id) => ({ type: 'decode-step', id, targetId: generationId, stepIndex }));
    return decoded.png;
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
    if (msg.type === 'progress' || msg.type === 'load-progress' || msg.type === 'paused' || msg.type === 'snapshot') {
      pending.onProgress?.(msg);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.type === 'error') pending.reject(StudioError.fromWire(msg.error));
    else pending.resolve(msg);
  }
}
