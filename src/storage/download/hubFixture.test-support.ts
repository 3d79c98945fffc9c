// Test fixture: the local hub server serving the tiny model, and manifests derived from the shipped one.
import tinyManifestJson from '../../../models/manifests/tiny-sd.json';
import type { HubFileStats, HubServer } from '../../../scripts/hub-server/server.mjs';
import type { LibraryManifest } from '../libraryManifest';
import type { ModelStore } from '../modelStore';
import type { DownloadModelOptions } from './downloadModel';

export { startHubServer } from '../../../scripts/hub-server/server.mjs';

export const TINY_REPO = 'test-org/tiny-sd';
/** Small chunks, so the tiny model's files (0.3-3.4 MB) span many chunks and a drop lands between them. */
export const TEST_CHUNK_BYTES = 256 * 1024;
export const UNET = 'unet/model.onnx';

/** The shipped tiny-model manifest, optionally under another id (a second model from the same repo). */
export function tinyManifest(id?: string): LibraryManifest {
  const manifest = structuredClone(tinyManifestJson as unknown as LibraryManifest);
  return id ? { ...manifest, id, name: `Tiny copy ${id}` } : manifest;
}

/** The same manifest with no sizes or hashes, as a freshly written manifest of a real model has. */
export function unpinnedManifest(id: string): LibraryManifest {
  const manifest = tinyManifest(id);
  return { ...manifest, files: manifest.files.map((f) => ({ path: f.path, toBePinned: true })) };
}

export function manifestFile(path: string): { path: string; size: number; sha256: string } {
  const file = tinyManifest().files.find((f) => f.path === path);
  if (!file?.size || !file.sha256) throw new Error(`tiny manifest lacks ${path}`);
  return { path, size: file.size, sha256: file.sha256 };
}

export function totalSize(manifest: LibraryManifest = tinyManifest()): number {
  return tinyManifest()
    .files.filter((f) => manifest.files.some((m) => m.path === f.path))
    .reduce((sum, f) => sum + (f.size ?? 0), 0);
}

export function fileStats(hub: HubServer, path: string, repo = TINY_REPO): HubFileStats {
  return hub.stats().files[`${repo}/${path}`] ?? { requests: 0, bytesServed: 0, rangeStarts: [] };
}

/** Download options for tests: this hub, small chunks, short retry waits, no browser storage estimate. */
export function testDownload(
  store: ModelStore,
  hub: HubServer,
  manifest: LibraryManifest,
  extra: Partial<DownloadModelOptions> = {},
): DownloadModelOptions {
  return {
    store,
    manifest,
    hosts: { hubBase: hub.url },
    chunkBytes: TEST_CHUNK_BYTES,
    retryDelayMs: 5,
    storageUsage: async () => ({}),
    ...extra,
  };
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes.slice());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
