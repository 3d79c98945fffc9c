// Checks a model manifest that came from outside the app (a URL on the hub or mirror) before it is listed or installed.
import { StudioError } from '../shared/errors';
import type { LibraryManifest } from './libraryManifest';
import { assertManifestSchema } from './manifestSchema';

const COMPONENTS = ['textEncoder', 'unet', 'vaeDecoder'] as const;

/** Returns the manifest when it has what the library and the pipeline read; throws naming the first thing missing. */
export function checkLibraryManifest(value: unknown, from: string): LibraryManifest {
  const fail = (what: string): never => {
    throw new StudioError({
      code: 'model-load',
      stage: 'load',
      message: `The model manifest from ${from} is not usable: ${what}.`,
      remedy: 'Point at a studio model manifest (models/manifests/README.md describes the format).',
    });
  };
  assertManifestSchema<LibraryManifest>(value, from); // every field's type and form, named (manifestSchema.ts)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('it is not a JSON object');
  const m = value as Partial<LibraryManifest>;
  for (const key of ['id', 'name', 'repo', 'revision'] as const) if (typeof m[key] !== 'string' || m[key] === '') fail(`"${key}" is missing`);
  if (!m.resolution || !m.latent || !m.text || !m.tokenizer || !m.defaults) fail('"resolution", "latent", "text", "tokenizer" or "defaults" is missing');
  if (!Array.isArray(m.files) || m.files.some((f) => typeof f?.path !== 'string')) return fail('"files" is not a list of {path}');
  if (!Array.isArray(m.variants) || m.variants.length === 0) return fail('it has no variants');
  const paths = new Set(m.files.map((f) => f.path));
  for (const variant of m.variants) {
    for (const component of COMPONENTS) {
      const path = variant?.files?.[component];
      if (typeof path !== 'string' || !paths.has(path)) fail(`variant "${variant?.id}" names no listed file for ${component}`);
    }
  }
  return { ...(m as LibraryManifest), licence: m.licence ?? 'unknown', description: m.description ?? '' };
}
