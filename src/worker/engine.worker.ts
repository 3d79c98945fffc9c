// Worker entry: serves the engine handlers over postMessage and points ORT at its bundled WASM files.
import asyncifyMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import asyncifyWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import plainMjs from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import plainWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import type { EngineApi } from '../shared/protocol';
import { serveRpc } from '../shared/rpc';
import { installGpuReadCounter } from '../core/ort/gpuReadCounter';
import { IdbModelStore } from '../storage/idbModelStore';
import { createEngineHandlers, engineError } from './engineHandler';

declare const self: DedicatedWorkerGlobalScope;

installGpuReadCounter();
let modelStore: IdbModelStore | undefined;
const handlers = createEngineHandlers({
  runtimeOptions: {
    builds: { plain: { wasm: plainWasm, mjs: plainMjs }, asyncify: { wasm: asyncifyWasm, mjs: asyncifyMjs } },
    // ORT defaults to half the cores; on small machines that is one thread.
    numThreads: Math.min(4, self.navigator.hardwareConcurrency || 1),
  },
  modelStore: () => (modelStore ??= new IdbModelStore()),
});
serveRpc<EngineApi>(self, handlers, engineError);
