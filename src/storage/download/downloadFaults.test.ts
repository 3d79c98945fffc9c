// The download path under faults the hub test server injects: drops, pauses, corruption, HTML, 404, no Range, quota.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubServer } from '../../../scripts/hub-server/server.mjs';
import { StudioError } from '../../shared/errors';
import { MemoryModelStore } from '../memoryModelStore';
import { formatBytes } from '../storageQuota';
import { isModelReady, readStoredFile } from '../storedModels';
import { downloadModel } from './downloadModel';
import {
  TEST_CHUNK_BYTES,
  UNET,
  fileStats,
  manifestFile,
  sha256Hex,
  startHubServer,
  testDownload,
  tinyManifest,
} from './hubFixture.test-support';

// A fresh server per test: a request a failed download aborted in flight must not count in the next test's stats.
let hub: HubServer;
beforeEach(async () => {
  hub = await startHubServer();
});
afterEach(() => hub.close());

/** The rejection of a promise, as a StudioError (fails the test if it resolved or threw something else). */
async function failure(promise: Promise<unknown>): Promise<StudioError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StudioError);
  return error as StudioError;
}

/** Installs only the fp32 variant (and tokenizer): the unet is the 3.4 MB file the faults aim at. */
const fp32 = { variantIds: ['fp32'] };
const FP32_BYTES = [
  'text_encoder/model.onnx',
  UNET,
  'vae_decoder/model.onnx',
  'tokenizer/tokenizer.json',
  'tokenizer/tokenizer_config.json',
]
  .map((path) => manifestFile(path).size)
  .reduce((a, b) => a + b, 0);

describe('downloadModel under faults', () => {
  it('resumes a dropped connection from the stored chunks without fetching them again', async () => {
    const dropAt = 1_000_000;
    hub.setFaults([{ type: 'drop', path: UNET, afterBytes: dropAt, times: 1 }]);
    const store = new MemoryModelStore();
    const summary = await downloadModel(testDownload(store, hub, tinyManifest(), fp32));

    expect(summary.ready).toBe(true);
    const unet = fileStats(hub, UNET);
    expect(unet.rangeStarts.length).toBe(2);
    const [first, resumedAt] = unet.rangeStarts;
    expect(first).toBe(0);
    // Only the chunk that was still filling when the connection dropped is fetched again.
    expect(resumedAt).toBeGreaterThan(0);
    expect(dropAt - resumedAt).toBeLessThan(TEST_CHUNK_BYTES);
    expect(unet.bytesServed).toBe(dropAt + manifestFile(UNET).size - resumedAt);
    expect(await sha256Hex(await readStoredFile(store, tinyManifest().id, UNET))).toBe(manifestFile(UNET).sha256);
  });

  it('pauses mid-file and, called again (as after a reload), resumes from the stored bytes', async () => {
    hub.setFaults([{ type: 'slow', path: UNET, bytesPerSecond: 2 * 1024 * 1024, times: 1 }]);
    const store = new MemoryModelStore();
    const pause = new AbortController();
    const paused = await failure(
      downloadModel(
        testDownload(store, hub, tinyManifest(), {
          ...fp32,
          signal: pause.signal,
          onProgress: (p) => {
            if ((p.files.find((f) => f.path === UNET)?.loaded ?? 0) > 1_200_000) pause.abort();
          },
        }),
      ),
    );
    expect(paused.code).toBe('cancelled');
    expect(paused.message).toContain('paused');
    const stored = (await store.getFile(tinyManifest().id, UNET))!;
    expect(stored.verified).toBe(false);
    expect(stored.storedBytes).toBeGreaterThan(1_000_000);
    expect(await isModelReady(store, tinyManifest().id)).toBe(false);

    const summary = await downloadModel(testDownload(store, hub, tinyManifest(), fp32));
    expect(summary.ready).toBe(true);
    expect(fileStats(hub, UNET).rangeStarts).toEqual([0, stored.storedBytes]);
    expect(await sha256Hex(await readStoredFile(store, tinyManifest().id, UNET))).toBe(manifestFile(UNET).sha256);
  });

  it('rejects a corrupted byte, naming the file and the remedy, and leaves an installed model verified', async () => {
    const store = new MemoryModelStore();
    const installed = tinyManifest('installed-first');
    await downloadModel(testDownload(store, hub, installed, fp32));

    hub.setFaults([{ type: 'corrupt', path: UNET }]);
    const error = await failure(downloadModel(testDownload(store, hub, tinyManifest('second'), fp32)));
    expect(error.message).toBe(`Model file ${UNET} failed its checksum: the download was corrupted.`);
    expect(error.remedy).toMatch(
      /^The damaged file was discarded; press Resume \(or Download\) to fetch it again; files that verified are kept/,
    );
    expect(error.code).toBe('model-load');
    expect(error.stage).toBe('load');
    expect((await store.getFile('second', UNET))?.storedBytes).toBe(0); // the corrupt bytes are not kept
    expect(await isModelReady(store, 'second')).toBe(false);

    expect(await isModelReady(store, 'installed-first')).toBe(true);
    expect(await sha256Hex(await readStoredFile(store, 'installed-first', UNET))).toBe(manifestFile(UNET).sha256);
  });

  it('rejects an HTML page served with status 200 in place of a model file', async () => {
    hub.setFaults([{ type: 'html', path: 'text_encoder/model.onnx' }]);
    const store = new MemoryModelStore();
    const error = await failure(downloadModel(testDownload(store, hub, tinyManifest(), fp32)));
    expect(error.message).toContain('Model file text_encoder/model.onnx came back as an HTML page');
    expect(error.remedy).toContain('download it again');
    expect((await store.getFile(tinyManifest().id, 'text_encoder/model.onnx'))?.storedBytes).toBe(0);
  });

  it('reports a 404 clearly and does not retry it', async () => {
    hub.setFaults([{ type: 'not-found', path: 'vae_decoder/model.onnx' }]);
    const error = await failure(downloadModel(testDownload(new MemoryModelStore(), hub, tinyManifest(), fp32)));
    expect(error.message).toMatch(
      /^Model file vae_decoder\/model\.onnx was not found at http:\/\/127\.0\.0\.1:\d+\/test-org\/tiny-sd\/resolve\/main\/vae_decoder\/model\.onnx \(HTTP 404\)\.$/,
    );
    expect(error.remedy).toContain('mirror');
    expect(fileStats(hub, 'vae_decoder/model.onnx').requests).toBe(0); // the 302 never happened, so the CDN was never asked
  });

  it('refuses a download redirected off the hub, storing nothing from the other host, and does not retry it', async () => {
    const elsewhere = hub.url.replace('127.0.0.1', 'localhost'); // the same server under another host name: another origin
    hub.setFaults([{ type: 'redirect', path: UNET, origin: elsewhere }]);
    const store = new MemoryModelStore();
    const error = await failure(downloadModel(testDownload(store, hub, tinyManifest(), fp32)));
    expect(error.code).toBe('storage');
    expect(error.message).toBe(
      `Refused the download of ${hub.url}/test-org/tiny-sd/resolve/main/${UNET}: it was redirected to ${new URL(elsewhere).host}, which is not ${hub.url}.`,
    );
    expect(error.remedy).toContain('Nothing from that host was stored');
    const unet = await store.getFile(tinyManifest().id, UNET);
    expect(unet?.verified ?? false).toBe(false);
    expect(unet?.storedBytes ?? 0).toBe(0);
    expect(fileStats(hub, UNET).requests).toBe(1); // one redirected request, not retried
  });

  it('restarts a file cleanly when the server ignores Range and sends it whole', async () => {
    hub.setFaults([
      { type: 'drop', path: UNET, afterBytes: 1_500_000, times: 1 },
      { type: 'ignore-range', path: UNET },
    ]);
    const store = new MemoryModelStore();
    const summary = await downloadModel(testDownload(store, hub, tinyManifest(), fp32));
    expect(summary.ready).toBe(true);
    expect(fileStats(hub, UNET).rangeStarts).toEqual([0, 0]);
    expect(fileStats(hub, UNET).bytesServed).toBe(1_500_000 + manifestFile(UNET).size);
    const bytes = await readStoredFile(store, tinyManifest().id, UNET);
    expect(bytes.length).toBe(manifestFile(UNET).size);
    expect(await sha256Hex(bytes)).toBe(manifestFile(UNET).sha256);
  });

  it('gives up on a connection that keeps dropping, keeping what was stored', async () => {
    hub.setFaults([{ type: 'drop', path: UNET, afterBytes: 300_000 }]);
    const store = new MemoryModelStore();
    const error = await failure(downloadModel(testDownload(store, hub, tinyManifest(), { ...fp32, attempts: 3 })));
    expect(error.message).toContain(`Model file ${UNET} could not be downloaded: the connection failed 3 times`);
    expect(error.remedy).toContain('parts already downloaded are kept');
    expect(fileStats(hub, UNET).requests).toBe(3);
    expect((await store.getFile(tinyManifest().id, UNET))?.storedBytes).toBeGreaterThan(3 * 300_000 - 3 * TEST_CHUNK_BYTES);
  });

  it('reports a quota error with the space needed, keeps what was stored, and resumes once there is room', async () => {
    const store = new MemoryModelStore();
    await downloadModel(testDownload(store, hub, tinyManifest('installed-first'), { variantIds: ['int8'] }));
    const installedBytes = store.usedBytes();
    store.setQuotaBytes(installedBytes + 2_000_000);

    const second = tinyManifest('second');
    const error = await failure(downloadModel(testDownload(store, hub, second, fp32)));
    expect(error.code).toBe('storage');
    const storedForSecond = store.usedBytes() - installedBytes;
    expect(storedForSecond).toBeGreaterThan(1_000_000);
    expect(error.message).toBe(
      `Not enough storage space to install Tiny copy second: it needs about ${formatBytes(FP32_BYTES - storedForSecond)} more.`,
    );
    expect(error.remedy).toContain('the parts already downloaded are kept');
    expect(await isModelReady(store, 'installed-first')).toBe(true);

    const before = new Map((await store.listFiles('second')).map((r) => [r.path, r]));
    store.setQuotaBytes(undefined);
    // Resume against a second server: requests the failed run aborted in flight may still reach the first.
    const resumeHub = await startHubServer();
    try {
      expect((await downloadModel(testDownload(store, resumeHub, second, fp32))).ready).toBe(true);
      for (const [path, record] of before) {
        // Verified files are not fetched again; partial ones continue where their stored bytes end.
        expect(fileStats(resumeHub, path).rangeStarts).toEqual(record.verified ? [] : [record.storedBytes]);
      }
    } finally {
      await resumeHub.close();
    }
    expect([...before.values()].some((r) => r.storedBytes > 0)).toBe(true);
  });

  it('checks the browser estimate before downloading and says how much space is needed', async () => {
    const store = new MemoryModelStore();
    const storageUsage = async () => ({ usage: 9_000_000_000, quota: 9_001_000_000, free: 1_000_000 });
    const error = await failure(downloadModel(testDownload(store, hub, tinyManifest(), { ...fp32, storageUsage })));
    expect(error.message).toBe(
      `Not enough storage space to install ${tinyManifest().name}: it needs about ${formatBytes(FP32_BYTES)} more. The browser allows this site 977 KB more (8.4 GB of 8.4 GB used).`,
    );
    expect(hub.stats().files).toEqual({});
  });
});
