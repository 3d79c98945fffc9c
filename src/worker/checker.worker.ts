// Checker worker entry: the handlers served over postMessage, the IndexedDB model store, and ORT's bundled WASM files.
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import { probeAdapter } from '../core/ort/backend';
import type { CheckerApi } from '../shared/checkerProtocol';
import { serveRpc } from '../shared/rpc';
import { IdbModelStore } from '../storage/idbModelStore';
import { checkerError, createCheckerHandlers } from './checkerHandler';

declare const self: DedicatedWorkerGlobalScope;

let modelStore: IdbModelStore | undefined;
const handlers = createCheckerHandlers({
  store: () => (modelStore ??= new IdbModelStore()),
  adapterFeatures: async () => {
    const adapter = await probeAdapter();
    return adapter.available ? adapter.features : null;
  },
  wasmPaths: { wasm: wasmUrl, mjs: mjsUrl },
});
serveRpc<CheckerApi>(self, handlers, checkerError);
