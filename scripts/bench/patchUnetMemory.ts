// Child process of scripts/bench/patchUnet.mjs: installs the UNet at argv[2] as the tiny model's denoiser in a
// MemoryModelStore and patches it the way installing does (patchInstalledDenoisers: read the stored file whole,
// decode, patch, point the weights at the original, encode the graph alone, write and hash it into the store). The
// store holds the UNet as one chunk backed by the file on disk, read whole through readStoredBytes as the browser's
// store reads it, so the process holds what the library worker holds. Prints one JSON line: the peak resident memory
// the patch added (Linux VmHWM less the resident memory just before the read), and that over the file's size; the
// file's own bytes, which the worker must hold, are 1.0. With --read-only it times the read alone instead.
import { readFileSync, statSync } from 'node:fs';
import tinyManifestJson from '../../models/manifests/tiny-sd.json';
import { PATCHED_GRAPH_SUFFIX, patchInstalledDenoisers } from '../../src/worker/installDenoiserPatch';
import type { LibraryManifest } from '../../src/storage/libraryManifest';
import { MemoryModelStore } from '../../src/storage/memoryModelStore';
import { readStoredBytes } from '../../src/storage/storedModels';

const unetFile = process.argv[2];
const fileBytes = statSync(unetFile).size;
const manifest = tinyManifestJson as unknown as LibraryManifest;
const variant = manifest.variants[0];
const modelId = manifest.id;
const unetPath = variant.files.unet;

/**
 * The UNet is one chunk backed by the file on disk (a Blob, as the browser's store hands out), so reading it whole goes
 * through the store's one read path (readStoredBytes); everything else (the patched graph written back) stays in memory.
 */
class DiskUnetStore extends MemoryModelStore {
  async getChunk(id: string, path: string, index: number): Promise<Blob | undefined> {
    if (path !== unetPath) return super.getChunk(id, path, index);
    return index === 0 ? new DiskFileBlob() : undefined;
  }
}

/**
 * The UNet file as the store's one chunk, read into one buffer as Chromium reads a stored file of under 1,760 MiB
 * (readStoredBytes). Not Node's own file Blob: its arrayBuffer() holds the bytes twice, which the browser does not.
 */
class DiskFileBlob extends Blob {
  get size() {
    return fileBytes;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = readFileSync(unetFile);
    return bytes.buffer.byteLength === bytes.byteLength
      ? (bytes.buffer as ArrayBuffer)
      : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
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
  chunkCount: 1,
  verified: true,
});

if (process.argv[3] === '--read-only') {
  // The read alone, in a process of its own (patchUnet.mjs runs this mode apart, so the patch's peak is not raised).
  const readStarted = performance.now();
  await readStoredBytes(store, (await store.getFile(modelId, unetPath))!);
  console.log(JSON.stringify({ readMs: performance.now() - readStarted }));
  process.exit(0);
}

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
    crossLayers: report?.crossLayers.length,
    selfLayersMasked: report?.selfLayers.length,
  }),
);
