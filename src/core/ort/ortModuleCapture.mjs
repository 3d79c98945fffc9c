// Loaded by onnxruntime-web in place of its own WebAssembly loader (env.wasm.wasmPaths.mjs, set in runtime.ts): it
// loads the real loader, whose URL the runtime left in a global of this worker (not in this file's query: a module
// the service worker serves from its cache has the cached URL, without the query), and keeps the module it makes, so
// the runtime can place model bytes in ORT's heap (OrtRuntime.modelBytes). A file served with the app, not a blob:
// URL, which the CSP refuses. ORT's threads load the real loader themselves (it spawns them from its own URL).
const loader = globalThis[Symbol.for('studio.ortLoader')];
const factory = (await import(/* @vite-ignore */ loader)).default;

export default (config) =>
  factory(config).then((module) => {
    globalThis[Symbol.for('studio.ortWasmModule')] = module;
    return module;
  });
