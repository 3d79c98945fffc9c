// Install-time denoiser patching on the tiny model from the hub test server: a patched graph beside the untouched download, kept across downloads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubServer } from '../../scripts/hub-server/server.mjs';
import * as ort from 'onnxruntime-web';
import { PATCHED_INPUTS } from '../core/onnx/patchContract';
import { decodeModel } from '../core/onnx/onnxProto';
import { PATCHED_GRAPH_SUFFIX, patchedGraphBeside, patchInstalledDenoisers } from './installDenoiserPatch';
import { MemoryModelStore } from '../storage/memoryModelStore';
import { isModelReady, readStoredFile } from '../storage/storedModels';
import { downloadModel } from '../storage/download/downloadModel';
import { UNET, fileStats, sha256Hex, startHubServer, testDownload, tinyManifest } from '../storage/download/hubFixture.test-support';
import { readFileSync } from 'node:fs';

let hub: HubServer;
beforeAll(async () => {
  hub = await startHubServer();
});
afterAll(() => hub.close());

describe('denoiser patched at install', () => {
  it('stores a small patched graph beside the hub file, whose weights point into it, and a later download keeps both', async () => {
    const store = new MemoryModelStore();
    await downloadModel(testDownload(store, hub, tinyManifest(), { variantIds: ['fp32'] }));
    const hubBytes = new Uint8Array(readFileSync(`public/models/tiny-sd/${UNET}`));
    const results = await patchInstalledDenoisers(store, 'tiny-sd-random', { chunkBytes: 256 * 1024 });
    expect(results).toEqual([{ path: UNET, state: 'patched' }]);

    // The downloaded UNet is untouched: it is what the model falls back to.
    const record = (await store.getFile('tiny-sd-random', UNET))!;
    expect(await sha256Hex(await readStoredFile(store, 'tiny-sd-random', UNET))).toBe(await sha256Hex(hubBytes));
    expect(record.expectedSha256).toBe(await sha256Hex(hubBytes));
    const graphPath = `${UNET}${PATCHED_GRAPH_SUFFIX}`;
    expect(record.attentionPatch).toMatchObject({
      state: 'patched',
      graphPath,
      originalSize: hubBytes.length,
      originalSha256: await sha256Hex(hubBytes),
    });

    // The patched graph is the patcher's output with the weights left in the original (external data).
    const stored = await readStoredFile(store, 'tiny-sd-random', graphPath);
    const expected = patchedGraphBeside(hubBytes, UNET);
    expect(await sha256Hex(stored)).toBe(await sha256Hex(new Uint8Array(expected.bytes)));
    expect(stored.length).toBeLessThan(hubBytes.length / 10);
    expect(decodeModel(stored).graph.input.map((i) => i.name)).toContain(PATCHED_INPUTS.crossMask);
    if (record.attentionPatch?.state === 'patched')
      expect(record.attentionPatch.report.crossLayers.length).toBe(expected.report.crossLayers.length);
    const patched = await ort.InferenceSession.create(stored, { externalData: [{ path: 'model.onnx', data: hubBytes }] });
    expect(patched.inputNames).toContain(PATCHED_INPUTS.crossMask);
    await patched.release();
    expect(await isModelReady(store, 'tiny-sd-random')).toBe(true);

    // Patching again does nothing; downloading again fetches nothing.
    expect(await patchInstalledDenoisers(store, 'tiny-sd-random')).toEqual([{ path: UNET, state: 'already' }]);
    const requestsBefore = fileStats(hub, UNET).requests;
    await downloadModel(testDownload(store, hub, tinyManifest(), { variantIds: ['fp32'] }));
    expect(fileStats(hub, UNET).requests).toBe(requestsBefore);
    expect(await sha256Hex(await readStoredFile(store, 'tiny-sd-random', graphPath))).toBe(await sha256Hex(stored));
  });

  it("keeps a graph the patcher refuses as downloaded, marked unpatchable with the patcher's reason", async () => {
    // A manifest whose "UNet" is the VAE decoder: a valid ONNX graph without the denoiser's inputs.
    const manifest = tinyManifest('vae-as-unet');
    manifest.variants = manifest.variants.map((v) => ({ ...v, files: { ...v.files, unet: v.files.vaeDecoder } }));
    const store = new MemoryModelStore();
    await downloadModel(testDownload(store, hub, manifest, { variantIds: ['int8'] }));
    const before = await readStoredFile(store, 'vae-as-unet', 'vae_decoder/model_int8.onnx');
    const [result] = await patchInstalledDenoisers(store, 'vae-as-unet');
    expect(result.state).toBe('unpatchable');
    expect(result.reason).toMatch(/^This denoiser cannot be patched for attention control: it has no "sample" input/);
    expect((await store.getFile('vae-as-unet', 'vae_decoder/model_int8.onnx'))?.attentionPatch).toEqual({
      state: 'unpatchable',
      reason: result.reason,
    });
    expect(await sha256Hex(await readStoredFile(store, 'vae-as-unet', 'vae_decoder/model_int8.onnx'))).toBe(await sha256Hex(before));
    expect(await isModelReady(store, 'vae-as-unet')).toBe(true);
  });

  it("moveFile replaces a file with another's chunks in one step and drops the source record", async () => {
    const store = new MemoryModelStore();
    const put = async (path: string, parts: number[][]) => {
      let record = { modelId: 'm', path, storedBytes: 0, chunkCount: 0, verified: false };
      for (const [index, part] of parts.entries()) {
        record = { ...record, storedBytes: record.storedBytes + part.length, chunkCount: index + 1 };
        await store.commitChunk(record, index, Uint8Array.from(part));
      }
      await store.putFile({ ...record, verified: true });
      return record;
    };
    await put('a', [[1, 2], [3, 4], [5]]);
    const b = await put('b', [[9, 9, 9]]);
    await store.moveFile('b', { ...b, path: 'a', verified: true });
    expect(await readStoredFile(store, 'm', 'a')).toEqual(Uint8Array.from([9, 9, 9]));
    expect(await store.getChunk('m', 'a', 1)).toBeUndefined();
    expect(await store.getFile('m', 'b')).toBeUndefined();
    expect(store.usedBytes()).toBe(3);
  });
});
