// Loads the built-in tiny model from public/ (or the random-weights test model) with onnxruntime-web's WASM backend, for Node tests.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ModelManifest } from '../../shared/manifest';
import { withDefaultBlocks, type GenerationSettings } from '../../shared/settings';
import { OrtRuntime, type ModelSession } from '../ort/runtime';
import { loadPipeline, type LoadedPipeline } from './loadPipeline';
import type { ModelFileReader } from './modelFiles';

export const publicDir = fileURLToPath(new URL('../../../public/', import.meta.url));
export const tinyModelDir = `${publicDir}models/tiny-sd/`;
/**
 * The same architecture with seeded random weights (models/tiny/make_tiny_model.py), for tests whose subject needs
 * a model without learnt behaviour: e.g. the feedback loop's pinned scores.
 */
export const randomModelDir = fileURLToPath(new URL('../../../models/tiny/random/', import.meta.url));

/** A two-object prompt with guidance and a negative prompt, in 3 Euler steps: the pipeline tests' usual run. */
export const TWO_OBJECT_SETTINGS: GenerationSettings = withDefaultBlocks({
  prompt: 'a red cat and a blue dog',
  negativePrompt: 'blurry',
  seed: 7,
  steps: 3,
  guidance: 7.5,
  sampler: 'euler',
});

export function fsReader(dir: string): ModelFileReader {
  return { origin: dir, read: async (path) => new Uint8Array(await readFile(dir + path)) };
}

export async function tinyManifest(modelDir = tinyModelDir): Promise<ModelManifest> {
  return JSON.parse(await readFile(`${modelDir}manifest.json`, 'utf8')) as ModelManifest;
}

export async function loadTinyPipeline(
  variantId = 'fp32',
  patchManifest?: (m: ModelManifest) => void,
  modelDir = tinyModelDir,
): Promise<LoadedPipeline> {
  const manifest = await tinyManifest(modelDir);
  patchManifest?.(manifest);
  const variant = manifest.variants.find((v) => v.id === variantId)!;
  return loadPipeline({
    runtime: OrtRuntime.configure({ ep: 'wasm', numThreads: 1 }),
    manifest,
    variant,
    modelFiles: fsReader(modelDir),
    graphFiles: fsReader(`${publicDir}graphs/`),
  });
}

/** Counts a session's runs from now on. */
export function counted(session: ModelSession): { runs: number } {
  const count = { runs: 0 };
  const run = session.run.bind(session);
  session.run = (feeds) => ((count.runs += 1), run(feeds));
  return count;
}
