// The page's side of the engine worker: typed calls over shared/rpc.ts, with the app's defaults filled in.
import type { StudioError } from '../shared/errors';
import type {
  BackendPreference,
  EngineApi,
  EngineReady,
  GenerationEvent,
  GenerationResult,
  HubHostsSetting,
  LoadProgress,
  ModelSource,
  TeachingOptions,
} from '../shared/protocol';
import { RpcClient, type ClientEndpoint, type RpcClientOptions } from '../shared/rpc';
import type { GenerationSettings } from '../shared/settings';

export interface GenerationHandle {
  id: number;
  done: Promise<GenerationResult>;
  cancel: () => void;
  pause: () => void;
  resume: () => void;
  step: () => void;
}

/** How long each call may go without a word from the worker (see RpcClientOptions). */
const ENGINE_SILENCE_MS: RpcClientOptions<EngineApi>['silenceTimeoutMs'] = {
  // A load reports each session it creates; creating one 1.7 GB UNet session on WASM has taken minutes.
  load: 10 * 60_000,
  // A step-by-step run waits on the user while paused, and one step of a large model on WASM can take minutes: the
  // user cancels instead, and a dead worker shows as a crash.
  generate: null,
  // One VAE decode: seconds on a GPU, a minute or two for SD 1.5 on WASM.
  decodeStep: 5 * 60_000,
};

/** The built-in tiny model, served with the app from public/models/tiny-sd/. */
export function builtInModelSource(): ModelSource {
  return { kind: 'url', baseUrl: new URL(`${import.meta.env.BASE_URL}models/tiny-sd/`, location.href).href };
}

export class EngineClient {
  /** Told when the worker crashed (pending calls already rejected): the worker that takes the next call has no model. */
  onCrash: ((error: StudioError) => void) | null = null;
  private readonly rpc: RpcClient<EngineApi>;

  constructor(start: () => ClientEndpoint) {
    this.rpc = new RpcClient<EngineApi>({
      name: 'engine',
      start,
      silenceTimeoutMs: ENGINE_SILENCE_MS,
      crashRemedy: 'The model is being loaded again; your gallery is kept.',
      onCrash: (error) => this.onCrash?.(error),
    });
  }

  static start(): EngineClient {
    return new EngineClient(() => new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' }));
  }

  /** Loads a model: by default the built-in one served with the app; `source` names an installed one instead. */
  init(
    preference: BackendPreference,
    onProgress?: (p: LoadProgress) => void,
    variantId?: string,
    source?: { model: ModelSource; hubHosts?: HubHostsSetting },
  ): Promise<EngineReady> {
    const graphsBaseUrl = new URL(`${import.meta.env.BASE_URL}graphs/`, location.href).href;
    const model = source?.model ?? builtInModelSource();
    return this.rpc.call('load', { preference, variantId, model, hubHosts: source?.hubHosts, graphsBaseUrl }, { onProgress }).done;
  }

  /** Starts a generation; the handle cancels, pauses, single-steps or resumes it between denoising steps. */
  generate(
    settings: GenerationSettings,
    onProgress?: (p: GenerationEvent) => void,
    teaching?: TeachingOptions,
    heatmaps = false,
  ): GenerationHandle {
    const call = this.rpc.call('generate', { settings, teaching, heatmaps }, { onProgress });
    return {
      id: call.id,
      done: call.done,
      cancel: call.cancel,
      pause: () => call.control('pause'),
      resume: () => call.control('resume'),
      step: () => call.control('step'),
    };
  }

  /** Decodes one step's x0 of a step-by-step run with the full VAE; resolves to PNG bytes. */
  decodeStep(generationId: number, stepIndex: number): Promise<Uint8Array> {
    return this.rpc.call('decodeStep', { generationId, stepIndex }).done;
  }
}
