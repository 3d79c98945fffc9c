// Loads a fixture family (models/fixtures/families/<family>: the real exports' signatures, tiny random weights)
// with onnxruntime-web's WASM backend, for Node tests.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ModelManifest } from '../../shared/manifest';
import { OrtRuntime } from '../ort/runtime';
import { loadPipeline, type LoadedPipeline } from './loadPipeline';
import { fsReader, publicDir } from './testModel.test-support';

export const familiesDir = fileURLToPath(new URL('../../../models/fixtures/families/', import.meta.url));

/** The families the pipeline must run: one per real export, and the optimizer's attention forms. */
export const FIXTURE_FAMILIES = [
  'sd-turbo-ort-web-sdpa',
  'sd-turbo-ort-web-baddbmm',
  'sd-turbo-webnn',
  'sd15-webnn',
  'optimizer-mha-fp16',
  'optimizer-mha-fp32',
] as const;
export type FixtureFamily = (typeof FIXTURE_FAMILIES)[number];

export async function familyManifest(family: FixtureFamily): Promise<ModelManifest> {
  return JSON.parse(await readFile(`${familiesDir}${family}/manifest.json`, 'utf8')) as ModelManifest;
}

export async function loadFamilyPipeline(family: FixtureFamily): Promise<LoadedPipeline> {
  const manifest = await familyManifest(family);
  return loadPipeline({
    runtime: OrtRuntime.configure({ ep: 'wasm', numThreads: 1 }),
    manifest,
    variant: manifest.variants[0],
    modelFiles: fsReader(`${familiesDir}${family}/`),
    graphFiles: fsReader(`${publicDir}graphs/`),
  });
}
