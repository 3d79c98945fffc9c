// Playwright e2e config: Debian's Chromium (Playwright's own browser download is unavailable here)
// against the built app served by `vite preview` (which sends COOP/COEP).
import { defineConfig } from '@playwright/test';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const quietChromium = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const port = Number(process.env.E2E_PORT ?? 4199);

export default defineConfig({
  testDir: 'e2e',
  timeout: 240_000,
  expect: { timeout: 120_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'reports/e2e-results.json' }]],
  use: { baseURL: `http://127.0.0.1:${port}/`, acceptDownloads: true, trace: 'retain-on-failure' },
  webServer: {
    command: `npx vite preview --port ${port} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
  projects: [
    {
      // No --enable-unsafe-webgpu: Chromium offers no adapter, so the studio must fall back to WASM.
      name: 'wasm',
      testIgnore: /backends-agree/, // needs an adapter, which this project deliberately lacks
      use: { browserName: 'chromium', launchOptions: { executablePath: chromiumPath, args: quietChromium } },
    },
    {
      name: 'webgpu',
      use: { browserName: 'chromium', launchOptions: { executablePath: chromiumPath, args: [...quietChromium, '--enable-unsafe-webgpu', '--enable-features=Vulkan'] } },
    },
  ],
});
