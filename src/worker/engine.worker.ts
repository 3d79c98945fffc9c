// Worker entry: wires the engine handler to postMessage and points ORT at its bundled WASM files.
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import type { EngineRequest } from '../shared/protocol';
import { installGpuReadCounter } from '../core/ort/gpuReadCounter';
import { IdbModelStore } from '../storage/idbModelStore';
import { createEngineHandler } from './engineHandler';

declare const self: DedicatedWorkerGlobalScope;

installGpuReadCounter();
let modelStore: IdbModelStore | undefined;
const handle = createEngineHandler(
  (message, transfer) => self.postMessage(message, transfer ?? []),
  {
    wasmPaths: { wasm: wasmUrl, mjs: mjsUrl },
    // ORT defaults to half the cores; on small machines that is one thread.
    numThreads: Math.min(4, self.navigator.hardwareConcurrency || 1),
  },
  () => (modelStore ??= new IdbModelStore()),
);
self.onmessage = (event: MessageEvent<EngineRequest>) => void handle(event.data);
