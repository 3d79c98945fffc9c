// The Engine: what the studio asks of the model runtime (load, generate with step controls, decode a step), one
// interface whether it runs in the engine worker (the page) or in this thread (Node tests, benchmarks, scripts).
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
import type { Caller } from '../shared/rpc';
import type { GenerationSettings } from '../shared/settings';

/** A running generation: cancel it, or pause, single-step and resume it between denoising steps. */
export interface GenerationHandle {
  id: number;
  done: Promise<GenerationResult>;
  cancel: () => void;
  pause: () => void;
  resume: () => void;
  step: () => void;
}

/** Which model to load (the built-in one when `model` is absent) and the hosts hub files may come from. */
export interface ModelChoice {
  model?: ModelSource;
  hubHosts?: HubHostsSetting;
}

export interface Engine {
  /** Told when the engine's worker crashed (pending calls already failed): the engine has no model until loaded again. */
  onCrash: ((error: StudioError) => void) | null;
  /** Loads a model: the built-in one unless `choice` names an installed one. */
  load(
    preference: BackendPreference,
    onProgress?: (p: LoadProgress) => void,
    variantId?: string,
    choice?: ModelChoice,
  ): Promise<EngineReady>;
  generate(
    settings: GenerationSettings,
    onProgress?: (p: GenerationEvent) => void,
    teaching?: TeachingOptions,
    heatmaps?: boolean,
  ): GenerationHandle;
  /** Decodes one step's x0 of a step-by-step run with the full VAE; resolves to PNG bytes. */
  decodeStep(generationId: number, stepIndex: number): Promise<Uint8Array>;
}

/** Where the engine finds what is served with the app: the built-in model's folder and the helper graphs' folder. */
export interface EngineUrls {
  builtInModel: string;
  graphs: string;
}

/** The Engine over the engine API's calls: to the worker (shared/rpc's RpcClient) or to its handlers in this thread. */
export class CallerEngine implements Engine {
  onCrash: ((error: StudioError) => void) | null = null;

  /** `restart`: starts a fresh engine (a new worker) for a load that needs one (error code 'engine-restart'). */
  constructor(
    private readonly caller: Caller<EngineApi>,
    private readonly urls: EngineUrls,
    private readonly restart?: () => void,
  ) {}

  async load(
    preference: BackendPreference,
    onProgress?: (p: LoadProgress) => void,
    variantId?: string,
    choice?: ModelChoice,
  ): Promise<EngineReady> {
    const model = choice?.model ?? { kind: 'url', baseUrl: this.urls.builtInModel };
    const request = { preference, variantId, model, hubHosts: choice?.hubHosts, graphsBaseUrl: this.urls.graphs };
    try {
      return await this.caller.call('load', request, { onProgress }).done;
    } catch (error) {
      if (!this.restart || (error as { code?: unknown }).code !== 'engine-restart') throw error;
      this.restart();
      return this.caller.call('load', request, { onProgress }).done;
    }
  }

  generate(
    settings: GenerationSettings,
    onProgress?: (p: GenerationEvent) => void,
    teaching?: TeachingOptions,
    heatmaps = false,
  ): GenerationHandle {
    const call = this.caller.call('generate', { settings, teaching, heatmaps }, { onProgress });
    return {
      id: call.id,
      done: call.done,
      cancel: call.cancel,
      pause: () => call.control('pause'),
      resume: () => call.control('resume'),
      step: () => call.control('step'),
    };
  }

  decodeStep(generationId: number, stepIndex: number): Promise<Uint8Array> {
    return this.caller.call('decodeStep', { generationId, stepIndex }).done;
  }
}
