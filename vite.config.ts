// Vite config: dev, preview and test servers all send COOP/COEP, because the WASM
// backend's threads need cross-origin isolation (SharedArrayBuffer).
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// In the browser use ORT's WebGPU build (WebGPU + WASM EPs, the build transformers.js also
// imports, so one copy ships); Node tests keep the package's default (WASM) entry.
const browserAliases = process.env.VITEST ? [] : [{ find: /^onnxruntime-web$/, replacement: 'onnxruntime-web/webgpu' }];

export default defineConfig({
  plugins: [react()],
  resolve: { alias: browserAliases },
  server: { headers: crossOriginIsolation, port: 5173 },
  preview: { headers: crossOriginIsolation, port: 4173 },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
