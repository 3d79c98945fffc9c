// Files that change on the server, external-data weights and broken JSON, served by the hub server from a temp folder.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubServer } from '../../../scripts/hub-server/server.mjs';
import type { LibraryManifest } from '../libraryManifest';
import { MemoryModelStore } from '../memoryModelStore';
import { readStoredFile } from '../storedModels';
import { downloadModel, type DownloadModelOptions } from './downloadModel';
import { UNET, fileStats, sha256Hex, startHubServer, testDownload, unpinnedManifest } from './hubFixture.test-support';

const REPO = 'test-org/changing';
let folder: string;
let hub: HubServer;

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'hub-changing-'));
  cpSync('public/models/tiny-sd', folder, { recursive: true });
  hub = await startHubServer({ repos: { [REPO]: folder } });
});
afterEach(async () => {
  await hub.close();
  rmSync(folder, { recursive: true, force: true });
});

/** The tiny model from the temp repo, without hashes (so a changed file is acceptable once whole). */
function changingManifest(id: string): LibraryManifest {
  return { ...unpinnedManifest(id), repo: REPO };
}

const installOptions = (store: MemoryModelStore, manifest: LibraryManifest, extra: Partial<DownloadModelOptions> = {}) =>
  testDownload(store, hub, manifest, { variantIds: ['fp32'], ...extra });

describe('files that change or are not models', () => {
  it('restarts a file that changed on the server between pause and resume (If-Range), never splicing versions', async () => {
    const store = new MemoryModelStore();
    const manifest = changingManifest('changing');
    hub.setFaults([{ type: 'slow', path: UNET, bytesPerSecond: 2 * 1024 * 1024, times: 1 }]);
    const pause = new AbortController();
    await downloadModel(
      installOptions(store, manifest, {
        signal: pause.signal,
        onProgress: (p) => {
          if ((p.files.find((f) => f.path === UNET)?.loaded ?? 0) > 1_000_000) pause.abort();
        },
      }),
    ).catch(() => undefined);
    const partial = (await store.getFile('changing', UNET))!;
    expect(partial.storedBytes).toBeGreaterThan(0);
    expect(partial.etag).toMatch(/^"[0-9a-f]{64}"$/);

    // A new upload of the same path: same length, different bytes, so only the ETag tells them apart.
    const next = new Uint8Array(readFileSync(join(folder, UNET)));
    next[next.length - 1] ^= 0xff;
    next[100] ^= 0xff;
    writeFileSync(join(folder, UNET), next);

    const summary = await downloadModel(installOptions(store, manifest));
    expect(summary.ready).toBe(true);
    expect(fileStats(hub, UNET, REPO).rangeStarts).toEqual([0, 0]); // the resume asked If-Range and got the new file whole
    expect(await sha256Hex(await readStoredFile(store, 'changing', UNET))).toBe(await sha256Hex(next));
  });

  it('installs external-data weights (model.onnx_data), which are raw bytes, not an ONNX protobuf', async () => {
    const weights = new Uint8Array(700_000).map((_, i) => (i * 31) % 251);
    writeFileSync(join(folder, 'unet/model.onnx_data'), weights);
    const base = changingManifest('external');
    const manifest: LibraryManifest = {
      ...base,
      variants: base.variants.map((v) => (v.id === 'fp32' ? { ...v, externalData: { unet: ['unet/model.onnx_data'] } } : v)),
      files: [...base.files, { path: 'unet/model.onnx_data', toBePinned: true }],
    };
    const store = new MemoryModelStore();
    const summary = await downloadModel(installOptions(store, manifest, { variantIds: ['fp32'] }));
    expect(summary.ready).toBe(true);
    expect((await store.getModel('external'))?.files).toContain('unet/model.onnx_data');
    expect(await sha256Hex(await readStoredFile(store, 'external', 'unet/model.onnx_data'))).toBe(await sha256Hex(weights));
  });

  it('rejects a .onnx file that is not an ONNX protobuf, and a .json file that does not parse', async () => {
    writeFileSync(
      join(folder, 'vae_decoder/model_int8.onnx'),
      new TextEncoder().encode('{"error": "not a model, but long enough to sniff the first bytes of it"}'),
    );
    const store = new MemoryModelStore();
    await expect(downloadModel(installOptions(store, changingManifest('not-onnx'), { variantIds: ['int8'] }))).rejects.toThrow(
      'Model file vae_decoder/model_int8.onnx is not an ONNX model (its first bytes are not an ONNX ModelProto).',
    );

    cpSync('public/models/tiny-sd/vae_decoder', join(folder, 'vae_decoder'), { recursive: true });
    writeFileSync(join(folder, 'tokenizer/tokenizer_config.json'), '{"model_max_length": 77,');
    // A fresh store: the first store pinned the good tokenizer_config.json and would report a size mismatch.
    const freshStore = new MemoryModelStore();
    await expect(downloadModel(installOptions(freshStore, changingManifest('not-json'), { variantIds: ['int8'] }))).rejects.toThrow(
      /^Model file tokenizer\/tokenizer_config\.json is not valid JSON \(.+\)\.$/,
    );
    expect((await freshStore.getFile('not-json', 'tokenizer/tokenizer_config.json'))?.storedBytes).toBe(0);
  });
});
