// Installing the tiny model over real HTTP from the local hub server: verification, progress, parallelism, pins, hosts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubServer } from '../../../scripts/hub-server/server.mjs';
import { MemoryModelStore } from '../memoryModelStore';
import { filePinKey } from './filePins';
import { listInstalledModels, readStoredFile, readStoredFileBlob } from '../storedModels';
import { downloadModel } from './downloadModel';
import type { DownloadProgress } from './downloadProgress';
import {
  TINY_REPO,
  UNET,
  fileStats,
  manifestFile,
  sha256Hex,
  startHubServer,
  testDownload,
  tinyManifest,
  totalSize,
  unpinnedManifest,
} from './hubFixture.test-support';

// A fresh server per test: a request a failed download aborted in flight must not count in the next test's stats.
let hub: HubServer;
beforeEach(async () => {
  hub = await startHubServer();
});
afterEach(() => hub.close());

describe('downloadModel', () => {
  it('installs every file of the tiny model, verified byte for byte', async () => {
    const store = new MemoryModelStore();
    const manifest = tinyManifest();
    const summary = await downloadModel(testDownload(store, hub, manifest));

    expect(summary).toMatchObject({ id: manifest.id, ready: true, fileCount: manifest.files.length, verifiedFiles: manifest.files.length });
    expect(summary.storedBytes).toBe(totalSize());
    expect(summary.totalBytes).toBe(totalSize());
    for (const file of manifest.files) {
      const bytes = await readStoredFile(store, manifest.id, file.path);
      expect(bytes.length).toBe(file.size);
      expect(await sha256Hex(bytes)).toBe(file.sha256); // WebCrypto, not the downloader's hasher
      expect((await store.getFile(manifest.id, file.path))?.verified).toBe(true);
    }
    const blob = await readStoredFileBlob(store, manifest.id, UNET);
    expect(await sha256Hex(new Uint8Array(await blob.arrayBuffer()))).toBe(manifestFile(UNET).sha256);
    expect(await listInstalledModels(store)).toEqual([summary]);
  });

  it('installs only the files a variant needs, plus the shared tokenizer', async () => {
    const store = new MemoryModelStore();
    const manifest = tinyManifest();
    const summary = await downloadModel(testDownload(store, hub, manifest, { variantIds: ['int8'] }));
    const model = await store.getModel(manifest.id);
    expect(model?.files.sort()).toEqual(
      [
        'text_encoder/model_int8.onnx',
        'tokenizer/tokenizer.json',
        'tokenizer/tokenizer_config.json',
        'unet/model_int8.onnx',
        'vae_decoder/model_int8.onnx',
      ].sort(),
    );
    expect(summary.ready).toBe(true);
    expect(fileStats(hub, UNET).requests).toBe(0);
  });

  it('reports per-file and total progress that ends at the total size, with a speed', async () => {
    hub.setFaults([{ type: 'slow', bytesPerSecond: 8 * 1024 * 1024 }]);
    const store = new MemoryModelStore();
    const events: DownloadProgress[] = [];
    await downloadModel(testDownload(store, hub, tinyManifest(), { onProgress: (p) => events.push(p) }));

    const last = events[events.length - 1];
    expect(last.total).toBe(totalSize());
    expect(last.loaded).toBe(totalSize());
    expect(last.files.every((f) => f.state === 'verified' && f.loaded === f.total)).toBe(true);
    expect(events.some((e) => e.loaded > 0 && e.loaded < e.total!)).toBe(true);
    expect(events.some((e) => e.bytesPerSecond > 0 && e.secondsLeft !== undefined)).toBe(true);
    const loadedSeries = events.map((e) => e.loaded);
    expect(loadedSeries).toEqual([...loadedSeries].sort((a, b) => a - b)); // never goes backwards without faults
  });

  it('downloads at most two files at once, and does use two', async () => {
    hub.setFaults([{ type: 'slow', bytesPerSecond: 4 * 1024 * 1024 }]);
    await downloadModel(testDownload(new MemoryModelStore(), hub, tinyManifest()));
    expect(hub.stats().maxConcurrent).toBe(2);
  });

  it('pins the sha256 of a file the manifest has no hash for, per hub host and resolved commit, and holds later downloads to it', async () => {
    const store = new MemoryModelStore();
    const manifest = unpinnedManifest('unpinned');
    const summary = await downloadModel(testDownload(store, hub, manifest));
    expect(summary.ready).toBe(true);

    const record = await store.getFile('unpinned', UNET);
    expect(record).toMatchObject({
      expectedSha256: manifestFile(UNET).sha256,
      expectedSize: manifestFile(UNET).size,
      sha256PinnedHere: true,
      verified: true,
    });
    const commit = record?.pinKey ? (JSON.parse(record.pinKey) as string[])[3] : '';
    expect(commit).toMatch(/^[0-9a-f]{40}$/); // the commit the server named (X-Repo-Commit), not the branch "main"
    const key = filePinKey({ origin: hub.url, repo: TINY_REPO, revision: commit, path: UNET });
    expect(await store.getPin(key)).toMatchObject({ sha256: manifestFile(UNET).sha256, size: manifestFile(UNET).size });

    // Another model with the same file, served damaged at the same commit, is held to the pin.
    hub.setFaults([{ type: 'corrupt', path: UNET }]);
    await expect(downloadModel(testDownload(store, hub, unpinnedManifest('same-file')))).rejects.toThrow(
      `Model file ${UNET} differs from the copy this browser first verified from the hub at the same revision`,
    );
  });

  it('downloads from the mirror when told to, with the same URL layout', async () => {
    const mirror = await startHubServer();
    try {
      const store = new MemoryModelStore();
      const hosts = { hubBase: 'https://huggingface.co', mirrorBase: `${mirror.url}/`, useMirror: true };
      const summary = await downloadModel({ ...testDownload(store, hub, tinyManifest(), { variantIds: ['int8'] }), hosts });
      expect(summary.ready).toBe(true);
      // The hub base here is unreachable from tests, so a finished install also shows nothing came from it.
      expect(fileStats(mirror, 'unet/model_int8.onnx').bytesServed).toBe(manifestFile('unet/model_int8.onnx').size);
    } finally {
      await mirror.close();
    }
  });

  it('refuses a manifest whose repo is not an owner/name id before storing anything', async () => {
    const store = new MemoryModelStore();
    const manifest = { ...tinyManifest('odd'), repo: '../../elsewhere' };
    await expect(downloadModel(testDownload(store, hub, manifest))).rejects.toThrow('is not a hub repository id');
    expect(await store.listModels()).toEqual([]);
  });
});
