// Worker entry: serves the engine handlers over postMessage and points ORT at its bundled WASM files.
import type { EngineApi } from '../shared/protocol';
import { serveRpc } from '../shared/rpc';
import { installGpuReadCounter } from '../core/ort/gpuReadCounter';
import { IdbModelStore } from '../storage/idbModelStore';
import { createEngineHandlers, engineError } from './engineHandler';
import { ORT_BUILDS } from './ortBuilds';

declare const self: DedicatedWorkerGlobalScope;

installGpuReadCounter();
let modelStore: IdbModelStore | undefined;
const handlers = createEngineHandlers({
  runtimeOptions: {
    builds: ORT_BUILDS,
    // ORT defaults to half the cores; on small machines that is one thread.
    numThreads: Math.min(4, self.navigator.hardwareConcurrency || 1),
  },
  modelStore: () => (modelStore ??= new IdbModelStore()),
});
serveRpc<EngineApi>(self, handlers, engineError);
