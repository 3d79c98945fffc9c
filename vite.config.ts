// Vite config: dev, preview and test servers all send COOP/COEP, because the WASM
// backend's threads need cross-origin isolation (SharedArrayBuffer).
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import type { Plugin } from 'vite';
import { connectOriginsFromEnv, securityHeaders } from './scripts/securityHeaders';
import { builtInDenoiserPatch } from './scripts/builtInDenoiserPatch';

const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// In the browser use ORT's WebGPU build (WebGPU + WASM EPs, the build transformers.js also
// imports, so one copy ships); Node tests keep the package's default (WASM) entry.
const browserAliases = process.env.VITEST ? [] : [{ find: /^onnxruntime-web$/, replacement: 'onnxruntime-web/webgpu' }];

/**
 * Offline: a service worker (Workbox, generated at build) precaches the app shell, ORT's .wasm/.mjs, the built-in
 * models and the sampler graphs. Precached responses keep the COOP/COEP headers the server sent, so a page served
 * offline is still cross-origin isolated (WASM threads). Model files installed later live in IndexedDB, not here.
 * Updates wait for the user (src/app/appUpdates.ts registers the worker and offers the Reload): an open tab keeps
 * the worker, and so the cached files, of the version it loaded.
 */
const offlineShell = VitePWA({
  registerType: 'prompt',
  injectRegister: false,
  manifest: {
    name: 'Diffusion Studio',
    short_name: 'Studio',
    description: 'Text-to-image generation in your browser with WebGPU, offline.',
    start_url: '.',
    display: 'standalone',
    background_color: '#15161a',
    theme_color: '#15161a',
    icons: [
      { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    ],
  },
  workbox: {
    globPatterns: ['**/*.{html,js,mjs,css,wasm,onnx,json,svg,png,txt}'],
    // ORT's WASM build is ~27 MB; Workbox skips files over 2 MiB unless told otherwise.
    maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
    navigateFallback: 'index.html',
    cleanupOutdatedCaches: true,
    // A new version waits until a tab posts SKIP_WAITING (the user's Reload): activating it deletes the old files.
    skipWaiting: false,
    // The first visit's page comes under the worker as soon as it has precached, so it works offline at once.
    clientsClaim: true,
  },
});

/**
 * Preview serves the built app as production should: the CSP and other security headers of scripts/securityHeaders.ts,
 * per path (worker scripts get their own policy). The dev server keeps only COOP/COEP: its hot reload needs inline scripts.
 */
const previewSecurityHeaders: Plugin = {
  name: 'studio-security-headers',
  configurePreviewServer(server) {
    const origins = connectOriginsFromEnv(process.env);
    server.middlewares.use((req, res, next) => {
      const path = new URL(req.url ?? '/', 'http://preview.local').pathname;
      for (const [name, value] of Object.entries(securityHeaders(origins, path))) res.setHeader(name, value);
      next();
    });
  },
};

/** STUDIO_BENCH=1 adds bench.html (the storage bench page, scripts/bench/storage.mjs); app builds never ship it. */
const pages = { main: 'index.html', ...(process.env.STUDIO_BENCH ? { bench: 'bench.html' } : {}) };

export default defineConfig({
  plugins: [react(), builtInDenoiserPatch(), offlineShell, previewSecurityHeaders],
  build: { rollupOptions: { input: pages } },
  resolve: { alias: browserAliases },
  server: { headers: crossOriginIsolation, port: 5173 },
  preview: { port: 4173 },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  test: {
    include: ['src/**/*.test.ts', 'models/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
