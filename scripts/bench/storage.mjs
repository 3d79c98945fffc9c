// Storage bench in Debian Chromium: builds the app with the bench page (STUDIO_BENCH=1) into its own folder, serves it
// cross-origin isolated, and runs window.storageBench.run() (src/storage/bench/storageBench.ts, in a worker). Prints a
// JSON last line. BENCH_STORAGE_LARGE_MIB (default 1024; e.g. "1024,2048") sizes the larger-file runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { build } from 'vite';
import { chromiumPath, QUIET_CHROMIUM_FLAGS } from '../chromiumFlags.mjs';
import { withPreview } from './standalone.mjs';

const OUT_DIR = 'node_modules/.cache/studio-bench-dist';
const PORT = Number(process.env.BENCH_STORAGE_PORT ?? 4197);
const LARGE_FILE_MIB = (process.env.BENCH_STORAGE_LARGE_MIB ?? '1024').split(',').filter(Boolean).map(Number);

process.env.STUDIO_BENCH = '1';
await build({ build: { outDir: OUT_DIR, emptyOutDir: true }, logLevel: 'error' });
const r = await withPreview({ port: PORT, outDir: OUT_DIR }, async (baseUrl) => {
  // A profile on disk (not an incognito context, whose IndexedDB and OPFS live in memory): the figures are disk reads.
  const profile = mkdtempSync(join(tmpdir(), 'studio-storage-bench-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath(),
      args: [...QUIET_CHROMIUM_FLAGS],
      serviceWorkers: 'block',
    });
    const page = await context.newPage();
    page.on('console', (message) => message.text().startsWith('storage bench:') && console.error(message.text()));
    await page.goto(`${baseUrl}bench.html`);
    await page.waitForFunction(() => 'storageBench' in globalThis && crossOriginIsolated);
    const figures = await page.evaluate((largeFileMib) => globalThis.storageBench.run({ largeFileMib }), LARGE_FILE_MIB);
    await context.close();
    return figures;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});
console.log(
  `${r.storage_bench_model_mb} MB synthetic ONNX model in 16 MiB chunks, in a worker: IndexedDB Blobs write ${r.idb_write_mb_per_s} MB/s, read ${r.idb_read_mb_per_s} MB/s; OPFS write ${r.opfs_write_mb_per_s} MB/s, read ${r.opfs_read_mb_per_s} MB/s (${r.opfs_blob_read_mb_per_s} MB/s chunk by chunk); fresh memory fills at ${r.memory_first_touch_mb_per_s} MB/s (${r.memory_copy_mb_per_s} MB/s once touched)`,
);
for (const mib of LARGE_FILE_MIB) {
  console.log(
    `${mib} MiB file: IndexedDB write ${r[`idb_${mib}mib_write_mb_per_s`]} MB/s, read ${r[`idb_${mib}mib_read_mb_per_s`]} MB/s; OPFS write ${r[`opfs_${mib}mib_write_mb_per_s`]} MB/s, read ${r[`opfs_${mib}mib_read_mb_per_s`]} MB/s (${r[`opfs_${mib}mib_blob_read_mb_per_s`]} MB/s as Files)`,
  );
}
console.log(
  `Install (sniff + streaming sha256 + write: the download path without the network): ${r.install_mb_per_s} MB/s into the app's model store (bytes in ${r.model_store_bytes_in}; target >= 200), ${r.idb_install_mb_per_s} MB/s into IndexedDB Blobs; sha256 alone ${r.sha256_mb_per_s} MB/s (hash-wasm's ${r.sha256_hash_wasm_mb_per_s} MB/s)`,
);
console.log(
  `Installed -> sessions ready (WASM): ${r.storage_bench_model_mb} MB graph ${r.sessions_208mib_from_store_ms} ms from the store (${r.sessions_208mib_store_read_ms} ms of it reading, ${r.sessions_208mib_store_read_mb_per_s} MB/s${r.sessions_store_reads_into_ort_heap ? ", straight into ORT's heap" : ", NOT into ORT's heap"}) vs ${r.sessions_208mib_from_memory_ms} ms from bytes in memory (ratio ${r.sessions_208mib_store_over_memory}, target <= 1.3); tiny model (3 sessions) ${r.sessions_tiny_from_store_ms} ms vs ${r.sessions_tiny_from_memory_ms} ms (ratio ${r.sessions_tiny_store_over_memory})`,
);
console.log(
  `PNG encoding in a worker, an opaque image-like test pattern with a parameters chunk (median of 15): 128 px ${r.png_encode_128_native_ms} ms by the browser's encoder vs ${r.png_encode_128_fastpng_ms} ms by fast-png; 512 px ${r.png_encode_512_native_ms} vs ${r.png_encode_512_fastpng_ms} ms`,
);
console.log(JSON.stringify(r));
