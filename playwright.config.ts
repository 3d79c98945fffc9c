// Playwright e2e config: Debian's Chromium (Playwright's own browser download is unavailable here)
// against the built app served by `vite preview` (which sends COOP/COEP).
import { defineConfig } from '@playwright/test';
import { chromiumPath as defaultChromiumPath, enableFeaturesFlag, QUIET_CHROMIUM_FLAGS } from './scripts/chromiumFlags.mjs';

const chromiumPath = defaultChromiumPath();
const quietChromium = [...QUIET_CHROMIUM_FLAGS];
const port = Number(process.env.E2E_PORT ?? 4199);
/** The hub test server (scripts/hub-server) the model-library specs download from: another origin, as the real hub is. */
// Not 4190: it is on the Fetch standard's list of blocked ports (ManageSieve), so Chromium and Node refuse it.
const hubPort = Number(process.env.E2E_HUB_PORT ?? 4191);
/** Model-library specs run once, on WASM: downloads, storage and the service worker do not depend on the backend. */
const librarySpecs = /library-.*\.spec\.ts$/;
/**
 * Specs whose subject does not depend on the backend (UI and pipeline logic already covered on both backends
 * by generate/maskdiffusion/backends-agree) run on WASM only: SwiftShader WebGPU is ~100x slower.
 */
// Real-model fixtures install and generate on WASM (fp16 on the CPU); real-models-refusal runs on both. The
// hardening specs for storage, manifests, prompts and service-worker updates test the UI and the store, not a backend;
// the CSP spec runs on both. worker-crash tests the RPC's crash handling, and settings-form the saved settings and
// the form, which no backend changes.
const wasmOnlySpecs = [
  librarySpecs,
  /real-fixtures-.*\.spec\.ts$/,
  /real-models-fixtures\.spec\.ts$/,
  /emphasis\.spec\.ts$/,
  /teaching\.spec\.ts$/,
  /checker-.*\.spec\.ts$/,
  /hardening-(storage|manifest|prompt|sw-update)\.spec\.ts$/,
  /png-(info|native)\.spec\.ts$/,
  /\/gallery\.spec\.ts$/,
  /presets\.spec\.ts$/,
  /series\.spec\.ts$/,
  /accessibility\.spec\.ts$/,
  /worker-crash\.spec\.ts$/,
  /settings-form\.spec\.ts$/,
];

export default defineConfig({
  testDir: 'e2e',
  timeout: 240_000,
  expect: { timeout: 120_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'reports/e2e-results.json' }]],
  // Service workers only where a spec asks (library-offline, hardening-sw-update): elsewhere each fresh context would precache ~36 MB first.
  use: { baseURL: `http://127.0.0.1:${port}/`, acceptDownloads: true, trace: 'retain-on-failure', serviceWorkers: 'block' },
  webServer: [
    {
      // E2E_DIST: serve another build folder (e.g. so a second checkout's build cannot change files mid-run).
      command: `npx vite preview --port ${port} --strictPort --host 127.0.0.1 --outDir ${process.env.E2E_DIST ?? 'dist'}`,
      url: `http://127.0.0.1:${port}/`,
      reuseExistingServer: false,
      timeout: 60_000,
      // The hub test server is the deployment's mirror, as far as the Content-Security-Policy's connect-src goes. Under
      // the name localhost it is also a host the CSP allows but the library settings do not (library-faults' redirect test).
      env: { STUDIO_CONNECT_ORIGINS: `http://127.0.0.1:${hubPort} http://localhost:${hubPort}` },
    },
    {
      command: `node scripts/hub-server/server.mjs --port ${hubPort}`,
      url: `http://127.0.0.1:${hubPort}/__stats`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
  ],
  projects: [
    {
      // No --enable-unsafe-webgpu: Chromium offers no adapter, so the studio must fall back to WASM.
      name: 'wasm',
      testIgnore: /backends-agree/, // needs an adapter, which this project deliberately lacks
      use: { browserName: 'chromium', launchOptions: { executablePath: chromiumPath, args: quietChromium } },
    },
    {
      name: 'webgpu',
      testIgnore: wasmOnlySpecs,
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath: chromiumPath, args: [...quietChromium, '--enable-unsafe-webgpu', enableFeaturesFlag('Vulkan')] },
      },
    },
  ],
});
