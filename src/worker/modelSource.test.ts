// Loading an installed model from the store: the same image as the built-in files, the UNet not patched again, clear refusals.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withDefaultBlocks, type GenerationSettings } from '../shared/settings';
import { OrtRuntime } from '../core/ort/runtime';
import { loadPipeline, releasePipeline } from '../core/pipeline/loadPipeline';
import { generateImage } from '../core/pipeline/textToImage';
import { fsReader, loadTinyPipeline, publicDir } from '../core/pipeline/testModel.test-support';
import { importModelFiles } from '../storage/importModelFiles';
import { patchInstalledDenoisers } from './installDenoiserPatch';
import { MemoryModelStore } from '../storage/memoryModelStore';
import { tinyManifest } from '../storage/download/hubFixture.test-support';
import { decodeModel, encodeModel } from '../core/onnx/onnxProto';
import type { LibraryManifest } from '../storage/libraryManifest';
import { loadWithDenoiserFallback, openModelSource, type OpenedModel } from './modelSource';
import { readStoredFile } from '../storage/storedModels';
import { StoredFileWriter, emptiedRecord } from '../storage/download/storedFileWriter';
import { TensorDataType, toNumber } from '../core/onnx/onnxProto';

/** The VAE decoder with its larger weights moved to model.onnx_data, as big exports keep them (ONNX external data). */
function withExternalWeights(graph: Uint8Array): { graph: Uint8Array; data: Uint8Array } {
  const model = decodeModel(graph);
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const tensor of model.graph.initializer) {
    const raw = tensor.raw_data;
    if (!raw || raw.length < 1024) continue;
    parts.push(raw.slice());
    Object.assign(tensor, {
      raw_data: new Uint8Array(0),
      data_location: 1, // EXTERNAL
      external_data: [
        { key: 'location', value: 'model.onnx_data' },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(raw.length) },
      ],
    });
    offset += raw.length;
  }
  const data = new Uint8Array(offset);
  parts.reduce((at, part) => (data.set(part, at), at + part.length), 0);
  return { graph: encodeModel(model), data };
}

const settings: GenerationSettings = withDefaultBlocks({
  prompt: 'a red cat and a blue dog',
  negativePrompt: '',
  seed: 11,
  steps: 2,
  guidance: 7.5,
  sampler: 'euler',
});

async function installedTiny(variantIds = ['fp32']) {
  const store = new MemoryModelStore();
  const manifest = tinyManifest();
  const files = manifest.files.map((f) => ({
    relativePath: `tiny-sd/${f.path}`,
    blob: new Blob([readFileSync(`${publicDir}models/tiny-sd/${f.path}`)]),
  }));
  await importModelFiles({ store, manifest, files, variantIds });
  await patchInstalledDenoisers(store, manifest.id);
  return store;
}

describe('model source: an installed model', () => {
  it('generates the same pixels as the built-in files, using the UNet patched at install', async () => {
    const store = await installedTiny();
    const source = await openModelSource({ kind: 'store', modelId: 'tiny-sd-random' }, () => store);
    expect(source.manifest.variants.map((v) => v.id)).toEqual(['fp32']); // only what is installed
    const variant = source.manifest.variants[0];
    const denoiserPatch = await source.denoiserPatch(variant);
    expect(denoiserPatch?.state).toBe('patched');
    const fromStore = await loadPipeline({
      runtime: OrtRuntime.configure({ ep: 'wasm', numThreads: 1 }),
      manifest: source.manifest,
      variant,
      modelFiles: source.modelFiles,
      graphFiles: fsReader(`${publicDir}graphs/`),
      denoiserPatch,
      externalData: (component) => source.externalData(variant, component),
    });
    const builtIn = await loadTinyPipeline('fp32'); // patched at load
    try {
      expect(fromStore.patchReport?.crossLayers.length).toBe(builtIn.patchReport?.crossLayers.length);
      const a = await generateImage(fromStore, settings);
      const b = await generateImage(builtIn, settings);
      expect(Buffer.from(a.rgba).equals(Buffer.from(b.rgba))).toBe(true);
    } finally {
      await releasePipeline(fromStore);
      await releasePipeline(builtIn);
    }
  });

  it('passes external-data weights (model.onnx_data) to the session: same pixels as the single-file model', async () => {
    const vae = withExternalWeights(readFileSync(`${publicDir}models/tiny-sd/vae_decoder/model.onnx`));
    expect(vae.data.length).toBeGreaterThan(1_000_000); // most of the VAE's weights live outside the graph now
    const base = tinyManifest();
    const manifest: LibraryManifest = {
      ...base,
      id: 'tiny-external',
      variants: base.variants.map((v) => (v.id === 'fp32' ? { ...v, externalData: { vaeDecoder: ['vae_decoder/model.onnx_data'] } } : v)),
      files: [
        ...base.files.filter((f) => f.path !== 'vae_decoder/model.onnx'),
        { path: 'vae_decoder/model.onnx', toBePinned: true },
        { path: 'vae_decoder/model.onnx_data', toBePinned: true },
      ],
    };
    const store = new MemoryModelStore();
    const files = manifest.files.map((f) => ({
      relativePath: f.path,
      blob: new Blob([
        new Uint8Array(
          f.path === 'vae_decoder/model.onnx'
            ? vae.graph
            : f.path.endsWith('onnx_data')
              ? vae.data
              : readFileSync(`${publicDir}models/tiny-sd/${f.path}`),
        ),
      ]),
    }));
    await importModelFiles({ store, manifest, files, variantIds: ['fp32'] });
    const source = await openModelSource({ kind: 'store', modelId: 'tiny-external' }, () => store);
    const variant = source.manifest.variants[0];
    expect((await source.externalData(variant, 'vaeDecoder')).map((f) => [f.path, f.data.length])).toEqual([
      ['model.onnx_data', vae.data.length],
    ]);
    const fromStore = await loadPipeline({
      runtime: OrtRuntime.configure({ ep: 'wasm', numThreads: 1 }),
      manifest: source.manifest,
      variant,
      modelFiles: source.modelFiles,
      graphFiles: fsReader(`${publicDir}graphs/`),
      externalData: (component) => source.externalData(variant, component),
    });
    const builtIn = await loadTinyPipeline('fp32');
    try {
      const a = await generateImage(fromStore, settings);
      const b = await generateImage(builtIn, settings);
      expect(Buffer.from(a.rgba).equals(Buffer.from(b.rgba))).toBe(true);
    } finally {
      await releasePipeline(fromStore);
      await releasePipeline(builtIn);
    }
  });

  it('falls back to the UNet as downloaded when the patched graph does not open: MaskDiffusion off with the reason, the model still generates', async () => {
    const store = await installedTiny();
    const record = (await store.getFile('tiny-sd-random', 'unet/model.onnx'))!;
    const graphPath = record.attentionPatch?.state === 'patched' ? record.attentionPatch.graphPath! : '';
    // A patched graph ONNX Runtime refuses at session creation, as issue 11's fp16 UNet was: one of the patch's
    // float32 Casts made float16, so a Mul gets float and float16 inputs.
    const model = decodeModel(await readStoredFile(store, 'tiny-sd-random', graphPath));
    const to = model.graph.node
      .filter((n) => n.name.startsWith('studio/Cast'))
      .flatMap((n) => n.attribute)
      .find((a) => a.name === 'to' && toNumber(a.i) === TensorDataType.FLOAT)!;
    to.i = TensorDataType.FLOAT16;
    const graphRecord = emptiedRecord((await store.getFile('tiny-sd-random', graphPath))!);
    await store.resetFile(graphRecord);
    const broken = await StoredFileWriter.open(
      store,
      { ...graphRecord, expectedSize: undefined, expectedSha256: undefined },
      { chunkBytes: 1 << 20, origin: 'test' },
    );
    await broken.write(encodeModel(model));
    await broken.finish();

    const source = await openModelSource({ kind: 'store', modelId: 'tiny-sd-random' }, () => store);
    const variant = source.manifest.variants[0];
    const load = async (opened: OpenedModel) =>
      loadPipeline({
        runtime: OrtRuntime.configure({ ep: 'wasm', numThreads: 1 }),
        manifest: opened.manifest,
        variant,
        modelFiles: opened.modelFiles,
        graphFiles: fsReader(`${publicDir}graphs/`),
        denoiserPatch: await opened.denoiserPatch(variant),
        externalData: (component) => opened.externalData(variant, component),
      });
    await expect(load(source)).rejects.toThrow(/UNet/); // the patched graph really does not open
    const pipeline = await loadWithDenoiserFallback(source, variant, load);
    try {
      expect(pipeline.patchReport).toBeUndefined();
      expect(pipeline.patchError).toMatch(
        /^The UNet patched for attention control did not load \(.*(float16|type).*\); it runs as downloaded, without MaskDiffusion\.$/s,
      );
      const image = await generateImage(pipeline, settings);
      expect(image.rgba.length).toBe(128 * 128 * 4);
      expect(new Set(image.rgba).size).toBeGreaterThan(16); // a picture, not a flat fill
    } finally {
      await releasePipeline(pipeline);
    }
  });

  it('refuses a model that is not installed, or not fully, saying what to do', async () => {
    const store = await installedTiny();
    await expect(openModelSource({ kind: 'store', modelId: 'sd-turbo-ort-web' }, () => store)).rejects.toThrow(
      'The model "sd-turbo-ort-web" is not installed in this browser.',
    );
    const record = (await store.getFile('tiny-sd-random', 'vae_decoder/model.onnx'))!;
    await store.putFile({ ...record, verified: false });
    await expect(openModelSource({ kind: 'store', modelId: 'tiny-sd-random' }, () => store)).rejects.toThrow(
      `${tinyManifest().name} is not fully installed: 4 of 5 files verified.`,
    );
  });
});
