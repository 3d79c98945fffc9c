// Checks a model manifest that came from outside the app (a URL on the hub or mirror) before it is listed or installed.
import { StudioError } from '../shared/errors';
import { GRAPH_OPTIMIZATION_LEVELS, TIMESTEP_SPACINGS } from '../shared/manifest';
import type { LibraryManifest, LibraryVariant } from './libraryManifest';
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
    const problem = variantFactsProblem(variant);
    if (problem) fail(`variant "${variant.id}" ${problem}`);
  }
  const pad = m.tokenizer!.padTokenId;
  if (pad !== undefined && !(Number.isInteger(pad) && pad >= 0)) fail('"tokenizer.padTokenId" is not a token id (a whole number from 0)');
  if (m.scheduler !== undefined) {
    const { timestepSpacing, config } = m.scheduler ?? {};
    if (timestepSpacing !== undefined && !TIMESTEP_SPACINGS.includes(timestepSpacing)) fail(`"scheduler.timestepSpacing" is "${timestepSpacing}", not one of ${TIMESTEP_SPACINGS.join(', ')}`);
    if (config !== undefined && !paths.has(config)) fail(`"scheduler.config" names ${config}, which "files" does not list`);
  }
  return { ...(m as LibraryManifest), licence: m.licence ?? 'unknown', description: m.description ?? '' };
}

/** What is wrong with a variant's io, sessionOptions or limits, or undefined when they are usable (or absent). */
function variantFactsProblem(variant: LibraryVariant): string | undefined {
  const batch = variant.io?.staticBatch;
  if (batch !== undefined && batch !== 1 && batch !== 2) return `has "io.staticBatch" ${String(batch)}; the studio feeds a static batch of 1 or 2`;
  for (const [role, options] of Object.entries(variant.sessionOptions ?? {})) {
    if (!(COMPONENTS as readonly string[]).includes(role)) return `has session options for "${role}", which is not textEncoder, unet or vaeDecoder`;
    const level = options?.graphOptimizationLevel;
    if (level !== undefined && !GRAPH_OPTIMIZATION_LEVELS.includes(level)) return `sets graphOptimizationLevel "${level}" for ${role}, not one of ${GRAPH_OPTIMIZATION_LEVELS.join(', ')}`;
    for (const [dim, size] of Object.entries(options?.freeDimensionOverrides ?? {})) {
      if (!(Number.isInteger(size) && size > 0)) return `overrides the ${role} dimension "${dim}" with ${String(size)}, not a positive whole number`;
    }
  }
  for (const [limit, bytes] of Object.entries(variant.limits ?? {})) {
    if (!(Number.isInteger(bytes) && bytes > 0)) return `needs the adapter limit ${limit} = ${String(bytes)}, not a positive number of bytes`;
  }
  return undefined;
}
