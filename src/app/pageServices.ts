// The page's services: the engine, checker and library workers (each started on first use) and the IndexedDB gallery.
import { CallerEngine, type Engine } from '../core/engine';
import type { EngineApi } from '../shared/protocol';
import { RpcClient, type RpcClientOptions } from '../shared/rpc';
import { idbGallery } from '../storage/gallery';
import { CheckerClient } from './checkerClient';
import { LibraryClient } from './libraryClient';
import type { StudioServices } from './studioServices';

/** How long each engine call may go without a word from the worker (see RpcClientOptions). */
const ENGINE_SILENCE_MS: RpcClientOptions<EngineApi>['silenceTimeoutMs'] = {
  // A load reports each session it creates; creating one 1.7 GB UNet session on WASM has taken minutes.
  load: 10 * 60_000,
  // A step-by-step run waits on the user while paused, and one step of a large model on WASM can take minutes: the
  // user cancels instead, and a dead worker shows as a crash.
  generate: null,
  // One VAE decode: seconds on a GPU, a minute or two for SD 1.5 on WASM.
  decodeStep: 5 * 60_000,
};

const appUrl = (path: string) => new URL(`${import.meta.env.BASE_URL}${path}`, location.href).href;

/** The engine in its worker, with the built-in model (public/models/tiny-sd/) and helper graphs served with the app. */
function workerEngine(): Engine {
  const rpc = new RpcClient<EngineApi>({
    name: 'engine',
    start: () => new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' }),
    silenceTimeoutMs: ENGINE_SILENCE_MS,
    crashRemedy: 'The model is being loaded again; your gallery is kept.',
    onCrash: (error) => engine.onCrash?.(error),
  });
  // A backend switch that needs ORT's other WebAssembly build gets a fresh worker (see core/ort/runtime.ts OrtBuilds).
  const engine = new CallerEngine(rpc, { builtInModel: appUrl('models/tiny-sd/'), graphs: appUrl('graphs/') }, () => rpc.terminate());
  return engine;
}

const once = <T>(make: () => T): (() => T) => {
  let made: T | undefined;
  return () => (made ??= make());
};

export function pageServices(): StudioServices {
  return {
    engine: workerEngine(),
    checker: once(CheckerClient.inWorker),
    library: once(LibraryClient.inWorker),
    gallery: idbGallery,
    appBaseUrl: appUrl(''),
  };
}
