// Checker worker entry: the handler over postMessage, the IndexedDB model store, and ORT's bundled WASM files.
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import { probeAdapter } from '../../core/ort/backend';
import { IdbModelStore } from '../../storage/idbModelStore';
import { createCheckerHandler } from './checkerHandler';
import type { CheckerRequest } from './checkerProtocol';

declare const self: DedicatedWorkerGlobalScope;

let modelStore: IdbModelStore | undefined;
const handle = createCheckerHandler((message, transfer) => self.postMessage(message, transfer ?? []), {
  store: () => (modelStore ??= new IdbModelStore()),
  adapterFeatures: async () => {
    const adapter = await probeAdapter();
    return adapter.available ? adapter.features : null;
  },
  wasmPaths: { wasm: wasmUrl, mjs: mjsUrl },
});
self.onmessage = (event: MessageEvent<CheckerRequest>) => void handle(event.data);
