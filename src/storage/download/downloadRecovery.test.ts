// Recovering from a crash after the last byte (verify, do not re-download) and from servers that say 429/500 (named, Retry-After read).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubServer } from '../../../scripts/hub-server/server.mjs';
import { StudioError } from '../../shared/errors';
import { MemoryModelStore } from '../memoryModelStore';
import { downloadModel } from './downloadModel';
import { UNET, fileStats, manifestFile, startHubServer, testDownload, unpinnedManifest } from './hubFixture.test-support';

let hub: HubServer;
beforeEach(async () => {
  hub = await startHubServer();
});
afterEach(() => hub.close());

describe('download recovery', () => {
  it('a crash after the last byte of a file without a declared size verifies the stored bytes instead of downloading again', async () => {
    const store = new MemoryModelStore();
    const manifest = unpinnedManifest('crashed');
    await downloadModel(testDownload(store, hub, manifest, { variantIds: ['fp32'] }));
    // As if the tab died between storing the last chunk and verifying: every byte stored, nothing known about them.
    const stored = (await store.getFile('crashed', UNET))!;
    await store.putFile({ ...stored, verified: false, expectedSize: undefined, expectedSha256: undefined });
    hub.resetStats();

    const summary = await downloadModel(testDownload(store, hub, manifest, { variantIds: ['fp32'] }));
    expect(summary.ready).toBe(true);
    expect(fileStats(hub, UNET).bytesServed).toBe(0); // the server's 416 "bytes */N" matched the stored N bytes
    expect(await store.getFile('crashed', UNET)).toMatchObject({
      verified: true,
      storedBytes: manifestFile(UNET).size,
      expectedSha256: manifestFile(UNET).sha256,
    });
  });

  for (const { status, message, remedy } of [
    { status: 429, message: 'the server answered HTTP 429 (too many requests) 3 times', remedy: 'wait a few minutes, then press Resume' },
    { status: 500, message: 'the server answered HTTP 500 (a server error) 3 times', remedy: 'press Resume later' },
  ]) {
    it(`a server answering ${status} every time is named as such, with a remedy the panel offers`, async () => {
      hub.setFaults([{ type: 'status', status, path: UNET }]);
      const error = await downloadModel(
        testDownload(new MemoryModelStore(), hub, unpinnedManifest(`status-${status}`), { variantIds: ['fp32'], attempts: 3 }),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StudioError);
      expect((error as StudioError).message).toContain(`Model file ${UNET} could not be downloaded: ${message}.`);
      expect((error as StudioError).remedy).toContain(remedy);
    });
  }

  it('waits as long as Retry-After says before asking again', async () => {
    hub.setFaults([{ type: 'status', status: 429, retryAfter: 1, path: UNET, times: 1 }]);
    const started = Date.now();
    const summary = await downloadModel(
      testDownload(new MemoryModelStore(), hub, unpinnedManifest('retry-after'), { variantIds: ['fp32'], retryDelayMs: 1 }),
    );
    expect(summary.ready).toBe(true);
    // retryDelayMs is 1 ms: only the server's Retry-After (1 s) explains a wait this long.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fileStats(hub, UNET).requests).toBe(2); // the 429, then the file
  });

  it('a server that sends headers and then stalls is abandoned after the idle timeout, with a message, and retried', async () => {
    hub.setFaults([{ type: 'stall', path: UNET, afterBytes: 100_000 }]);
    const error = await downloadModel(
      testDownload(new MemoryModelStore(), hub, unpinnedManifest('stalled'), { variantIds: ['fp32'], attempts: 2, idleTimeoutMs: 2000 }),
    ).catch((e: unknown) => e);
    expect((error as StudioError).message).toContain(
      `Model file ${UNET} could not be downloaded: the connection failed 2 times (the server sent nothing for 2 s)`,
    );
  });

  it("a body without a declared size may not outgrow the manifest's rough size", async () => {
    // A proxy that re-chunks the body drops Content-Length: only the manifest bounds the file then.
    const unsized: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const headers = new Headers(response.headers);
      headers.delete('content-length');
      return new Response(response.body, { status: response.status, headers });
    };
    const manifest = unpinnedManifest('unsized');
    manifest.files = manifest.files.map((f) => (f.path === UNET ? { ...f, approxSize: 1000 } : f));
    const store = new MemoryModelStore();
    const error = await downloadModel(testDownload(store, hub, manifest, { variantIds: ['fp32'], fetchFn: unsized })).catch(
      (e: unknown) => e,
    );
    expect((error as StudioError).message).toMatch(new RegExp(`^Model file ${UNET} kept coming past 1050576 bytes \\(\\d+ received\\)`));
    expect((await store.getFile('unsized', UNET))?.storedBytes).toBe(0); // nothing of it kept
  });
});
