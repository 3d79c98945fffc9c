// Updating an installed model (same id, changed files): staged, swapped in only once verified; a failed update damages nothing.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubServer } from '../../../scripts/hub-server/server.mjs';
import type { LibraryManifest } from '../libraryManifest';
import { MemoryModelStore } from '../memoryModelStore';
import { readStoredFile, summarizeModel } from '../storedModels';
import { downloadModel } from './downloadModel';
import { manifestToResume, stagingModelId } from './installPlan';
import { UNET, sha256Hex, startHubServer, testDownload, tinyManifest } from './hubFixture.test-support';

const REPO = 'test-org/updating';
const ID = 'updating';
let folder: string;
let hub: HubServer;
let oldUnet: Uint8Array;
let newUnet: Uint8Array;

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'hub-update-'));
  cpSync('public/models/tiny-sd', folder, { recursive: true });
  hub = await startHubServer({ repos: { [REPO]: folder } });
  oldUnet = new Uint8Array(readFileSync(join(folder, UNET)));
  newUnet = oldUnet.slice();
  newUnet[newUnet.length - 1] ^= 0xff; // a re-export: same layout, other bytes
});
afterEach(async () => {
  await hub.close();
  rmSync(folder, { recursive: true, force: true });
});

const v1 = (): LibraryManifest => ({ ...tinyManifest(ID), repo: REPO });
async function v2(): Promise<LibraryManifest> {
  const sha256 = await sha256Hex(newUnet);
  return { ...v1(), files: v1().files.map((f) => (f.path === UNET ? { ...f, sha256 } : f)) };
}

async function installV1AndPublishV2(store: MemoryModelStore): Promise<LibraryManifest> {
  await downloadModel(testDownload(store, hub, v1(), { variantIds: ['fp32'] }));
  writeFileSync(join(folder, UNET), newUnet);
  return v2();
}

async function expectV1Intact(store: MemoryModelStore): Promise<void> {
  const model = (await store.getModel(ID))!;
  expect(model.manifest).toEqual(v1());
  expect(await summarizeModel(store, model)).toMatchObject({ ready: true, readyVariantIds: ['fp32'], verifiedFiles: 5 });
  expect(await sha256Hex(await readStoredFile(store, ID, UNET))).toBe(await sha256Hex(oldUnet));
}

describe('updating an installed model', () => {
  for (const fault of ['html', 'drop'] as const) {
    it(`a failed update (${fault === 'html' ? 'an HTML page' : 'retries exhausted'}) leaves the installed model usable, its manifest unchanged`, async () => {
      const store = new MemoryModelStore();
      const next = await installV1AndPublishV2(store);
      hub.setFaults(fault === 'html' ? [{ type: 'html', path: UNET }] : [{ type: 'drop', path: UNET, afterBytes: 300_000 }]);
      await expect(downloadModel(testDownload(store, hub, next, { variantIds: ['fp32'], attempts: 2 }))).rejects.toThrow(UNET);
      await expectV1Intact(store);
    });
  }

  it('a paused update leaves the installed model usable; resuming it swaps the new files in at once', async () => {
    const store = new MemoryModelStore();
    const next = await installV1AndPublishV2(store);
    hub.setFaults([{ type: 'slow', path: UNET, bytesPerSecond: 2 * 1024 * 1024, times: 1 }]);
    const pause = new AbortController();
    const paused = downloadModel(
      testDownload(store, hub, next, {
        variantIds: ['fp32'],
        signal: pause.signal,
        onProgress: (p) => (p.files.find((f) => f.path === UNET)?.loaded ?? 0) > 500_000 && pause.abort(),
      }),
    );
    await expect(paused).rejects.toThrow('paused');
    await expectV1Intact(store);
    expect((await store.getFile(stagingModelId(ID), UNET))?.storedBytes).toBeGreaterThan(0); // the update's bytes are kept for the resume

    const resume = manifestToResume((await store.getModel(ID))!);
    expect(resume?.manifest).toEqual(next); // Resume continues the update, not the installed version
    const summary = await downloadModel(testDownload(store, hub, resume!.manifest, { variantIds: resume!.variantIds }));
    expect(summary).toMatchObject({ ready: true, readyVariantIds: ['fp32'] });
    const model = (await store.getModel(ID))!;
    expect(model.manifest).toEqual(next);
    expect(model.pendingUpdate).toBeUndefined();
    expect(await sha256Hex(await readStoredFile(store, ID, UNET))).toBe(await sha256Hex(newUnet));
    expect(await store.listFiles(stagingModelId(ID))).toEqual([]);
  });

  it('an update fetches only the files that changed', async () => {
    const store = new MemoryModelStore();
    const next = await installV1AndPublishV2(store);
    hub.resetStats();
    await downloadModel(testDownload(store, hub, next, { variantIds: ['fp32'] }));
    expect(Object.keys(hub.stats().files)).toEqual([`${REPO}/${UNET}`]);
  });
});
