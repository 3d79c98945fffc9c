// Child process of scripts/bench/patchUnet.mjs: installs the UNet at argv[2] as the tiny model's denoiser in a
// MemoryModelStore and patches it the way installing does (patchInstalledDenoisers: read the stored file whole,
// decode, patch, point the weights at the original, encode the graph alone, write and hash it into the store). The
// store's whole-file read is the file from disk, as OPFS's fast path reads it, so the process holds what the library
// worker holds. Prints one JSON line: the peak resident memory the patch added (Linux VmHWM less the resident memory
// just before the read), and that over the file's size; the file's own bytes, which the worker must hold, are 1.0.
import { readFileSync, statSync } from 'node:fs';
import tinyManifestJson from '../../models/manifests/tiny-sd.json';
import { PATCHED_GRAPH_SUFFIX, patchInstalledDenoisers } from '../../src/worker/installDenoiserPatch';
import type { LibraryManifest } from '../../src/storage/libraryManifest';
import { MemoryModelStore } from '../../src/storage/memoryModelStore';
import type { StoredFileRecord } from '../../src/storage/modelStore';
import { DEFAULT_CHUNK_BYTES } from '../../src/storage/download/downloadModel';

const unetFile = process.argv[2];
const fileBytes = statSync(unetFile).size;
const manifest = tinyManifestJson as unknown as LibraryManifest;
const variant = manifest.variants[0];
const modelId = manifest.id;
const unetPath = variant.files.unet;

/** The UNet's bytes come from disk; everything else (the patched graph written back) stays in memory. */
class DiskUnetStore extends MemoryModelStore {
  readMs = 0;

  async readFile(record: StoredFileRecord): Promise<Uint8Array<ArrayBuffer> | undefined> {
    if (record.path !== unetPath) return undefined;
    const started = performance.now();
    const bytes = readFileSync(unetFile);
    this.readMs += performance.now() - started;
    // A plain Uint8Array, as the browser's store gives: protobufjs reads Node Buffers through another path.
    return new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
  }
}

/** A /proc/self/status figure in bytes (Linux reports kB). */
function statusBytes(key: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${key}:`));
  if (!line) throw new Error(`/proc/self/status has no ${key} (this measurement needs Linux)`);
  return Number(line.split(/\s+/)[1]) * 1024;
}

const store = new DiskUnetStore();
await store.putModel({ id: modelId, name: manifest.name, manifest, variantIds: [variant.id], files: [unetPath], createdAt: 0 });
await store.putFile({
  modelId,
  path: unetPath,
  storedBytes: fileBytes,
  chunkCount: Math.ceil(fileBytes / DEFAULT_CHUNK_BYTES),
  verified: true,
});

globalThis.gc?.(); // run with --expose-gc: the baseline is then what the process holds, not garbage from setting up
const baseline = statusBytes('VmRSS');
const started = performance.now();
const [result] = await patchInstalledDenoisers(store, modelId);
const patchMs = performance.now() - started;
const peak = statusBytes('VmHWM');
if (result?.state !== 'patched') throw new Error(`the UNet was not patched: ${JSON.stringify(result)}`);
const record = await store.getFile(modelId, unetPath);
const graph = await store.getFile(modelId, `${unetPath}${PATCHED_GRAPH_SUFFIX}`);
const report = record?.attentionPatch?.state === 'patched' ? record.attentionPatch.report : undefined;
console.log(
  JSON.stringify({
    fileBytes,
    graphBytes: graph?.storedBytes,
    baselineBytes: baseline,
    peakBytes: peak,
    peakOverFile: (peak - baseline) / fileBytes,
    patchMs,
    readMs: store.readMs,
    crossLayers: report?.crossLayers.length,
    selfLayersMasked: report?.selfLayersMasked,
  }),
);
