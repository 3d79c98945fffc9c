// What a bench run on its own (`node scripts/bench/<name>.mjs`) needs around its measurement: the built app served
// by `vite preview` on 127.0.0.1, and the quiet Chromium. Both are closed when the measurement ends or throws.
import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { preview } from 'vite';
import { chromiumPath, QUIET_CHROMIUM_FLAGS } from '../chromiumFlags.mjs';

/** True when `moduleUrl` (a module's import.meta.url) is the script node was started with, not an import. */
export const isRunDirectly = (moduleUrl) => moduleUrl === pathToFileURL(process.argv[1]).href;

/** Serves `outDir` (default dist/) on `port` and calls `measure(baseUrl)`; returns its result. */
export async function withPreview({ port, outDir }, measure) {
  const server = await preview({
    ...(outDir ? { build: { outDir } } : {}),
    preview: { port, strictPort: true, host: '127.0.0.1' },
    logLevel: 'warn',
  });
  try {
    return await measure(`http://127.0.0.1:${port}/`);
  } finally {
    await server.close();
  }
}

/** Launches the quiet Chromium and calls `measure(browser)`; returns its result. */
export async function withChromium(measure) {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: [...QUIET_CHROMIUM_FLAGS] });
  try {
    return await measure(browser);
  } finally {
    await browser.close();
  }
}
