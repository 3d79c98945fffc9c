// Loads the built-in tiny model from public/ with onnxruntime-web's WASM backend, for Node tests.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ModelManifest } from '../../shared/manifest';
import { OrtRuntime } from '../ort/runtime';
import { loadPipeline, type LoadedPipeline } from './loadPipeline';
import type { ModelFileReader } from './modelFiles';

export const publicDir = fileURLToPath(new URL('../../../public/', import.meta.url));
export const tinyModelDir = `${publicDir}models/tiny-sd/`;

export function fsReader(dir: string): ModelFileReader {
  return { origin: dir, read: async (path) => new Uint8Array(await readFile(dir + path)) };
}

export async function tinyManifest(): Promise<ModelManifest> {
  return JSON.parse(await readFile(`${tinyModelDir}manifest.json`, 'utf8')) as ModelManifest;
}

export async function loadTinyPipeline(variantId = 'fp32', patchManifest?: (m: ModelManifest) => void): Promise<LoadedPipeline> {
  const manifest = await tinyManifest();
  patchManifest?.(manifest);
  const variant = manifest.variants.find((v) => v.id === variantId)!;
  return loadPipeline({
    runtime: OrtRuntime.configure({ ep: 'wasm', numThreads: 1 }),
    manifest,
    variant,
    modelFiles: fsReader(tinyModelDir),
    graphFiles: fsReader(`${publicDir}graphs/`),
  });
}
