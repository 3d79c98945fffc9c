// The built-in model's UNets patched at build and served with an index: the worker opens the served graph as it
// is, falls back to the graph as served when the index says so, and patches at load when there is no index.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel } from '../core/onnx/onnxProto';
import { PATCHED_INPUTS } from '../core/onnx/patchContract';
import { patchDenoiser } from '../core/onnx/patchDenoiser';
import { OrtRuntime } from '../core/ort/runtime';
import { loadPipeline, releasePipeline } from '../core/pipeline/loadPipeline';
import { serveFolder, type PublicServer } from '../core/pipeline/publicServer.test-support';
import { fsReader, publicDir, tinyManifest, tinyModelDir } from '../core/pipeline/testModel.test-support';
import { openModelSource, type OpenedModel } from './modelSource';
import { makeServedPatches, SERVED_PATCH_INDEX, type ServedPatchIndex } from './servedDenoiserPatch';

const readModelFile = (path: string) => new Uint8Array(readFileSync(tinyModelDir + path));
const inputNames = (bytes: Uint8Array) => decodeModel(bytes).graph.input.map((i) => i.name);

describe('makeServedPatches', () => {
  it("patches every variant's UNet as the loader would, and names the patched graph in the index", async () => {
    const manifest = await tinyManifest();
    const { index, graphs } = makeServedPatches(manifest, readModelFile);
    const unets = [...new Set(manifest.variants.map((v) => v.files.unet))];
    expect(unets).toEqual(['unet/model.onnx', 'unet/model_int8.onnx']);
    for (const path of unets) {
      const entry = index[path];
      if (entry.state !== 'patched') throw new Error(`${path}: ${entry.reason}`);
      expect(entry.graph).toBe(`${path}.attention-patched.onnx`);
      const atLoad = patchDenoiser(readModelFile(path));
      expect(Buffer.from(graphs.get(entry.graph)!).equals(Buffer.from(atLoad.bytes))).toBe(true);
      expect(entry.report).toEqual(atLoad.report);
      expect(inputNames(graphs.get(entry.graph)!)).toContain(PATCHED_INPUTS.crossMask);
    }
  });

  it('records a UNet the patcher refuses, with its reason, and serves no graph for it', async () => {
    const manifest = await tinyManifest();
    const sampler = new Uint8Array(readFileSync(`${publicDir}graphs/step.onnx`)); // a graph with no UNet inputs
    const { index, graphs } = makeServedPatches(
      { ...manifest, variants: [{ ...manifest.variants[0], files: { ...manifest.variants[0].files, unet: 'step.onnx' } }] },
      () => sampler,
    );
    expect(index['step.onnx']).toEqual({ state: 'unpatchable', reason: expect.stringMatching(/cannot be patched.*no "sample" input/) });
    expect(graphs.size).toBe(0);
  });
});

describe('a model served over HTTP', () => {
  let folder: string;
  let server: PublicServer;
  const runtime = OrtRuntime.configure({ ep: 'wasm', numThreads: 1 });
  const writeIndex = (index: ServedPatchIndex | string) =>
    writeFileSync(join(folder, SERVED_PATCH_INDEX), typeof index === 'string' ? index : JSON.stringify(index));
  const load = async (source: OpenedModel) => {
    const variant = source.manifest.variants[0];
    return loadPipeline({
      runtime,
      manifest: source.manifest,
      variant,
      modelFiles: source.modelFiles,
      graphFiles: fsReader(`${publicDir}graphs/`),
      denoiserPatch: await source.denoiserPatch(variant),
    });
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'served-model-'));
    cpSync(tinyModelDir, folder, { recursive: true });
    server = await serveFolder(`${folder}/`, '');
  });
  afterAll(async () => {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('opens the UNet graph the index names, as it is (not patched again at load)', async () => {
    const { index, graphs } = makeServedPatches(await tinyManifest(), readModelFile);
    for (const [path, bytes] of graphs) writeFileSync(join(folder, path), bytes);
    // The fp32 entry points at the graph as shipped: were the loader to patch what it read, the UNet would have the
    // studio's inputs; opened as it is, it has none, and the report is the index's.
    const fp32 = index['unet/model.onnx'];
    if (fp32.state !== 'patched') throw new Error(fp32.reason);
    writeIndex({ ...index, 'unet/model.onnx': { ...fp32, graph: 'unet/model.onnx' } });
    const source = await openModelSource({ kind: 'url', baseUrl: server.engineUrls.builtInModel }, () => {
      throw new Error('a served model needs no store');
    });
    const variant = source.manifest.variants.find((v) => v.id === 'fp32')!;
    expect(await source.denoiserPatch(variant)).toEqual({ state: 'patched', report: fp32.report });
    const pipeline = await load(source);
    try {
      expect(pipeline.unet.inputNames).not.toContain(PATCHED_INPUTS.crossMask);
      expect(pipeline.patchReport).toEqual(fp32.report);
    } finally {
      await releasePipeline(pipeline);
    }
    // The int8 UNet is read from its patched graph.
    const int8 = source.manifest.variants.find((v) => v.id !== 'fp32')!;
    expect(inputNames(await source.modelFiles.read(int8.files.unet))).toContain(PATCHED_INPUTS.selfMask);
  });

  it('falls back to the UNet as served when the patched graph does not load, with MaskDiffusion off and why', async () => {
    const { index } = makeServedPatches(await tinyManifest(), readModelFile);
    writeIndex(index);
    const source = await openModelSource({ kind: 'url', baseUrl: server.engineUrls.builtInModel }, () => {
      throw new Error('a served model needs no store');
    });
    const fallback = await source.withoutDenoiserPatch(source.manifest.variants[0], 'it did not open');
    expect(await fallback?.denoiserPatch(source.manifest.variants[0])).toEqual({ state: 'unpatchable', reason: 'it did not open' });
    expect(inputNames(await fallback!.modelFiles.read('unet/model.onnx'))).not.toContain(PATCHED_INPUTS.crossMask);
  });

  it('patches at load when the index is missing or not JSON', async () => {
    for (const index of [undefined, '<!doctype html><title>Studio</title>']) {
      rmSync(join(folder, SERVED_PATCH_INDEX), { force: true });
      if (index) writeIndex(index);
      const source = await openModelSource({ kind: 'url', baseUrl: server.engineUrls.builtInModel }, () => {
        throw new Error('a served model needs no store');
      });
      expect(await source.denoiserPatch(source.manifest.variants[0])).toBeUndefined();
      const pipeline = await load(source);
      try {
        expect(pipeline.unet.inputNames).toContain(PATCHED_INPUTS.crossMask);
      } finally {
        await releasePipeline(pipeline);
      }
    }
  });
});
