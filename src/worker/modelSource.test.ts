// Loading an installed model from the store: the same image as the built-in files, the UNet not patched again, clear refusals.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GenerationSettings } from '../shared/settings';
import { OrtRuntime } from '../core/ort/runtime';
import { loadPipeline, releasePipeline } from '../core/pipeline/loadPipeline';
import { generateImage } from '../core/pipeline/textToImage';
import { fsReader, loadTinyPipeline, publicDir } from '../core/pipeline/testModel.test-support';
import { importModelFiles } from '../storage/importModelFiles';
import { patchInstalledDenoisers } from '../storage/installDenoiserPatch';
import { MemoryModelStore } from '../storage/memoryModelStore';
import { tinyManifest } from '../storage/download/hubFixture.test-support';
import { openModelSource } from './modelSource';

const settings: GenerationSettings = { prompt: 'a red cat and a blue dog', negativePrompt: '', seed: 11, steps: 2, guidance: 7.5, sampler: 'euler' };

async function installedTiny(variantIds = ['fp32']) {
  const store = new MemoryModelStore();
  const manifest = tinyManifest();
  const files = manifest.files.map((f) => ({ relativePath: `tiny-sd/${f.path}`, blob: new Blob([readFileSync(`${publicDir}models/tiny-sd/${f.path}`)]) }));
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

  it('refuses a model that is not installed, or not fully, saying what to do', async () => {
    const store = await installedTiny();
    await expect(openModelSource({ kind: 'store', modelId: 'sd-turbo-ort-web' }, () => store)).rejects.toThrow(
      'The model "sd-turbo-ort-web" is not installed in this browser.',
    );
    const record = (await store.getFile('tiny-sd-random', 'vae_decoder/model.onnx'))!;
    await store.putFile({ ...record, verified: false });
    await expect(openModelSource({ kind: 'store', modelId: 'tiny-sd-random' }, () => store)).rejects.toThrow(
      'Tiny SD (random weights) is not fully installed: 4 of 5 files verified.',
    );
  });
});
