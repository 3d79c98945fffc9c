// ORT's two WebAssembly builds as the bundler serves them (see OrtBuilds in core/ort/runtime.ts): one list for the
// engine worker and the storage bench, which runs as the app does.
import moduleCapture from '../core/ort/ortModuleCapture.mjs?url&no-inline';
import asyncifyMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import asyncifyWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import plainMjs from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import plainWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import type { OrtBuilds } from '../core/ort/runtime';

export const ORT_BUILDS: OrtBuilds = {
  plain: { wasm: plainWasm, mjs: plainMjs },
  asyncify: { wasm: asyncifyWasm, mjs: asyncifyMjs },
  // A file of its own (no-inline): ORT imports it by URL, and the CSP refuses data: URLs.
  moduleCapture,
};
