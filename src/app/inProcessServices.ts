// The studio's services in this thread, for Node tests, benchmarks and scripts: the very handlers the workers serve,
// called directly (shared/rpc's InProcessCaller) instead of through postMessage.
import { CallerEngine, type Engine, type EngineUrls } from '../core/engine';
import type { CheckerApi } from '../shared/checkerProtocol';
import type { LibraryApi } from '../shared/libraryProtocol';
import type { EngineApi } from '../shared/protocol';
import { InProcessCaller } from '../shared/rpc';
import type { GalleryStorage } from '../storage/gallery';
import { MemoryModelStore } from '../storage/memoryModelStore';
import { memoryGallery } from '../storage/memoryGallery';
import type { ModelStore } from '../storage/modelStore';
import { checkerError, createCheckerHandlers } from '../worker/checkerHandler';
import { createEngineHandlers, engineError, type EngineDeps } from '../worker/engineHandler';
import { createLibraryHandlers, libraryError } from '../worker/libraryHandler';
import { CheckerClient } from './checkerClient';
import { LibraryClient } from './libraryClient';
import type { StudioServices } from './studioServices';

export function inProcessEngine(deps: EngineDeps, urls: EngineUrls): Engine {
  return new CallerEngine(new InProcessCaller<EngineApi>(createEngineHandlers(deps), engineError), urls);
}

export interface InProcessOptions {
  urls: EngineUrls;
  /** ORT threads (tests use 1: vitest runs files side by side). */
  numThreads?: number;
  /** The installed-models store the engine and checker share (memory by default). */
  store?: ModelStore;
  gallery?: GalleryStorage;
}

/** Engine, checker and library in this thread over one model store. */
export function inProcessServices({
  urls,
  numThreads = 1,
  store = new MemoryModelStore(),
  gallery = memoryGallery(),
}: InProcessOptions): StudioServices {
  const checker = new CheckerClient(
    new InProcessCaller<CheckerApi>(
      createCheckerHandlers({ store: () => store, adapterFeatures: async () => null, device: 'cpu' }),
      checkerError,
    ),
  );
  const library = new LibraryClient(new InProcessCaller<LibraryApi>(createLibraryHandlers(store), libraryError));
  return {
    engine: inProcessEngine({ runtimeOptions: { numThreads }, modelStore: () => store }, urls),
    checker: () => checker,
    library: () => library,
    gallery,
    // The app's root, where bundled checker models live: the helper graphs are served from its graphs/ folder.
    appBaseUrl: new URL('../', urls.graphs).href,
  };
}
