// Pins (sha256 of files a manifest has no hash for): set only by the hub, per host and resolved commit, removed with the model.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubServer } from '../../../scripts/hub-server/server.mjs';
import type { LibraryManifest } from '../libraryManifest';
import { MemoryModelStore } from '../memoryModelStore';
import { importModelFiles } from '../importModelFiles';
import { deleteInstalledModel, readStoredFile } from '../storedModels';
import { downloadModel } from './downloadModel';
import { filePinKey } from './filePins';
import { UNET, sha256Hex, startHubServer, testDownload, unpinnedManifest } from './hubFixture.test-support';

const REPO = 'test-org/changing';
let folder: string;
let hub: HubServer;

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'hub-pins-'));
  cpSync('public/models/tiny-sd', folder, { recursive: true });
  hub = await startHubServer({ repos: { [REPO]: folder } });
});
afterEach(async () => {
  await hub.close();
  rmSync(folder, { recursive: true, force: true });
});

const manifestOf = (id: string): LibraryManifest => ({ ...unpinnedManifest(id), repo: REPO });
const pinCount = async (store: MemoryModelStore, keys: string[]) =>
  (await Promise.all(keys.map((k) => store.getPin(k)))).filter(Boolean).length;

/** The tiny model's files as picked from a folder, with the UNet swapped for another graph (the int8 one: other size). */
function pickedWithOtherUnet() {
  const file = (path: string) => ({ relativePath: `tiny-sd/${path}`, blob: new Blob([readFileSync(join('public/models/tiny-sd', path))]) });
  const paths = ['text_encoder/model.onnx', 'vae_decoder/model.onnx', 'tokenizer/tokenizer.json', 'tokenizer/tokenizer_config.json'];
  return [
    ...paths.map(file),
    { relativePath: `tiny-sd/${UNET}`, blob: new Blob([readFileSync(join('public/models/tiny-sd', 'unet/model_int8.onnx'))]) },
  ];
}

describe('file pins', () => {
  it('an imported file pins nothing: after Delete a clean hub download installs (the issue: "is 3444118 bytes but the manifest says ...")', async () => {
    const store = new MemoryModelStore();
    const manifest = manifestOf('imported');
    await importModelFiles({ store, manifest, files: pickedWithOtherUnet(), variantIds: ['fp32'], chunkBytes: 256 * 1024 });
    expect((await store.getFile('imported', UNET))?.pinKey).toBeUndefined();
    await deleteInstalledModel(store, 'imported');

    const summary = await downloadModel(testDownload(store, hub, manifest, { variantIds: ['fp32'] }));
    expect(summary.ready).toBe(true);
    expect(await sha256Hex(await readStoredFile(store, 'imported', UNET))).toBe(await sha256Hex(readFileSync(join(folder, UNET))));
  });

  it('a mirror never pins: its different copy does not hold a later download from the hub', async () => {
    const mirrorFolder = mkdtempSync(join(tmpdir(), 'mirror-pins-'));
    cpSync('public/models/tiny-sd', mirrorFolder, { recursive: true });
    cpSync(join(mirrorFolder, 'unet/model_int8.onnx'), join(mirrorFolder, UNET)); // the mirror serves another UNet
    const mirror = await startHubServer({ repos: { [REPO]: mirrorFolder } });
    try {
      const store = new MemoryModelStore();
      const hosts = { hubBase: hub.url, mirrorBase: mirror.url, useMirror: true };
      await downloadModel({ ...testDownload(store, hub, manifestOf('from-mirror'), { variantIds: ['fp32'] }), hosts });
      expect((await store.getFile('from-mirror', UNET))?.pinKey).toBeUndefined();

      const fromHub = await downloadModel(testDownload(store, hub, manifestOf('from-hub'), { variantIds: ['fp32'] }));
      expect(fromHub.ready).toBe(true);
      expect((await store.getFile('from-hub', UNET))?.pinKey).toContain(JSON.stringify(hub.url));
    } finally {
      await mirror.close();
      rmSync(mirrorFolder, { recursive: true, force: true });
    }
  });

  it('a legitimate re-upload on the branch (a new commit) installs while the old copy stays installed', async () => {
    const store = new MemoryModelStore();
    await downloadModel(testDownload(store, hub, manifestOf('first'), { variantIds: ['fp32'] }));
    const next = new Uint8Array(readFileSync(join(folder, UNET)));
    next[next.length - 1] ^= 0xff; // same size, other bytes: only the sha256 (and the commit) tell them apart
    writeFileSync(join(folder, UNET), next);

    const second = await downloadModel(testDownload(store, hub, manifestOf('second'), { variantIds: ['fp32'] }));
    expect(second.ready).toBe(true);
    expect(await sha256Hex(await readStoredFile(store, 'second', UNET))).toBe(await sha256Hex(next));
    expect((await store.getFile('first', UNET))?.pinKey).not.toBe((await store.getFile('second', UNET))?.pinKey);
  });

  it('pins are removed with the model that set them', async () => {
    const store = new MemoryModelStore();
    await downloadModel(testDownload(store, hub, manifestOf('removable'), { variantIds: ['fp32'] }));
    const keys = (await store.listFiles('removable')).map((r) => r.pinKey!);
    expect(keys).toHaveLength(5);
    expect(await pinCount(store, keys)).toBe(5);
    await deleteInstalledModel(store, 'removable');
    expect(await pinCount(store, keys)).toBe(0);
  });

  it('pin keys are unambiguous: no two (host, repo, revision, path) share one', () => {
    const origin = 'https://huggingface.co';
    const a = filePinKey({ origin, repo: 'a/b', revision: 'c/d', path: 'e' });
    const b = filePinKey({ origin, repo: 'a/b', revision: 'c', path: 'd/e' });
    expect(a).not.toBe(b);
    expect(filePinKey({ origin, repo: 'a/b', revision: 'c', path: 'e' })).not.toBe(
      filePinKey({ origin: 'https://mirror.example', repo: 'a/b', revision: 'c', path: 'e' }),
    );
  });
});
