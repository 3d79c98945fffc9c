// Storage bench in Debian Chromium: builds the app with the bench page (STUDIO_BENCH=1) into its own folder, serves it
// cross-origin isolated, and runs window.storageBench.run() (src/storage/bench/storageBench.ts). Prints a JSON last line.
import { chromium } from '@playwright/test';
import { build, preview } from 'vite';

const OUT_DIR = 'node_modules/.cache/studio-bench-dist';
const PORT = Number(process.env.BENCH_STORAGE_PORT ?? 4197);
const chromiumArgs = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

process.env.STUDIO_BENCH = '1';
await build({ build: { outDir: OUT_DIR, emptyOutDir: true }, logLevel: 'error' });
const server = await preview({ build: { outDir: OUT_DIR }, preview: { port: PORT, strictPort: true, host: '127.0.0.1' }, logLevel: 'warn' });
let result;
try {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${PORT}/bench.html`);
  await page.waitForFunction(() => 'storageBench' in globalThis && crossOriginIsolated);
  result = await page.evaluate(() => globalThis.storageBench.run());
  await browser.close();
} finally {
  await server.close();
}
const r = result;
console.log(`IndexedDB, ${r.storage_bench_model_mb} MB synthetic ONNX model in 16 MiB Blob chunks: write ${r.idb_write_mb_per_s} MB/s, read ${r.idb_read_mb_per_s} MB/s, install (sniff + streaming sha256 + write: the download path without the network) ${r.idb_install_mb_per_s} MB/s`);
console.log(`Installed -> sessions ready (WASM): ${r.storage_bench_model_mb} MB graph ${r.sessions_208mib_from_store_ms} ms from the store vs ${r.sessions_208mib_from_memory_ms} ms from bytes in memory (ratio ${r.sessions_208mib_store_over_memory}); tiny model (3 sessions) ${r.sessions_tiny_from_store_ms} ms vs ${r.sessions_tiny_from_memory_ms} ms (ratio ${r.sessions_tiny_store_over_memory})`);
console.log(JSON.stringify(r));
