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
import { generateImage } from '../core/pipeline/textToImage';
import { withDefaultBlocks } from '../shared/settings';
import { serveFolder, type PublicServer } from '../core/pipeline/publicServer.test-support';
import { fsReader, publicDir, tinyManifest, tinyModelDir } from '../core/pipeline/testModel.test-support';
import { openModelSource, type OpenedModel } from './modelSource';
import { patchedGraphBeside } from './installDenoiserPatch';
import { makeServedPatches, SERVED_PATCH_INDEX, type ServedPatchIndex } from './servedDenoiserPatch';

const readModelFile = (path: string) => new Uint8Array(readFileSync(tinyModelDir + path));
const inputNames = (bytes: Uint8Array) => decodeModel(bytes).graph.input.map((i) => i.name);

describe('makeServedPatches', () => {
  it("patches every variant's UNet as an install does (weights left in the UNet as shipped), and names the patched graph in the index", async () => {
    const manifest = await tinyManifest();
    const { index, graphs } = makeServedPatches(manifest, readModelFile);
    const unets = [...new Set(manifest.variants.map((v) => v.files.unet))];
    expect(unets).toEqual(['unet/model.onnx', 'unet/model_int8.onnx']);
    for (const path of unets) {
      const entry = index[path];
      if (entry.state !== 'patched') throw new Error(`${path}: ${entry.reason}`);
      expect(entry.graph).toBe(`${path}.attention-patched.onnx`);
      const graph = graphs.get(entry.graph)!;
      expect(Buffer.from(graph).equals(Buffer.from(patchedGraphBeside(readModelFile(path), path).bytes))).toBe(true);
      expect(entry.report).toEqual(patchDenoiser(readModelFile(path)).report);
      expect(inputNames(graph)).toContain(PATCHED_INPUTS.crossMask);
      expect(graph.length).toBeLessThan(readModelFile(path).length / 4); // its weights stay in the UNet as shipped
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
  const load = async (source: OpenedModel, variant = source.manifest.variants[0]) =>
    loadPipeline({
      runtime,
      manifest: source.manifest,
      variant,
      modelFiles: source.modelFiles,
      graphFiles: fsReader(`${publicDir}graphs/`),
      denoiserPatch: await source.denoiserPatch(variant),
      externalData: (component) => source.externalData(variant, component),
    });
  const openServed = () =>
    openModelSource({ kind: 'url', baseUrl: server.engineUrls.builtInModel }, () => {
      throw new Error('a served model needs no store');
    });
  const settings = withDefaultBlocks({ prompt: 'a red circle', negativePrompt: '', seed: 4, steps: 2, guidance: 7.5, sampler: 'euler' });

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

  it('generates with the weightless patched graph what the UNet patched at load generates, and hands its weights to the twin', async () => {
    const { index, graphs } = makeServedPatches(await tinyManifest(), readModelFile);
    for (const [path, bytes] of graphs) writeFileSync(join(folder, path), bytes);
    rmSync(join(folder, SERVED_PATCH_INDEX), { force: true });
    const atLoad = await load(await openServed());
    writeIndex(index);
    const source = await openServed();
    for (const variant of source.manifest.variants) {
      const [weights] = await source.externalData(variant, 'unet');
      expect(weights.path).toBe(variant.files.unet.slice('unet/'.length));
      expect(Buffer.from(weights.data).equals(Buffer.from(readModelFile(variant.files.unet)))).toBe(true);
      expect(await source.externalData(variant, 'textEncoder')).toEqual([]);
    }
    const served = await load(source);
    try {
      expect(served.unet.inputNames).toContain(PATCHED_INPUTS.crossMask);
      expect(served.unetBytes).toBe(graphs.get('unet/model.onnx.attention-patched.onnx')!.length + readModelFile('unet/model.onnx').length);
      const [a, b] = [await generateImage(atLoad, settings), await generateImage(served, settings)];
      expect(b.rgba).toEqual(a.rgba);
      // The twin gets the UNet as served: the bytes read for the weights, or read again.
      const variant = source.manifest.variants[0];
      for (let i = 0; i < 2; i++) expect(inputNames(await source.readUnpatchedUnet!(variant))).not.toContain(PATCHED_INPUTS.crossMask);
    } finally {
      await Promise.all([releasePipeline(atLoad), releasePipeline(served)]);
    }
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
