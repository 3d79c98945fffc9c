// One schema for every model manifest, shipped or added by URL: each field's type, range and form, named when wrong.
import { StudioError } from '../shared/errors';
import { EXAMPLE_PROMPT_LIMITS, GRAPH_OPTIMIZATION_LEVELS, TIMESTEP_SPACINGS } from '../shared/manifest';
import type { LibraryManifest } from './libraryManifest';

/** Manifest ids: what a storage key, a test id and a lock name can all hold. No ':' (the hub's groups are "hub:…"), no NUL. */
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
/** "owner/name" as the hub allows. */
const REPO_ID = /^[\w.-]+\/[\w.-]+$/;
/** A branch, tag or commit: no spaces, control characters or URL syntax. */
const REVISION = /^[\w.-]+(\/[\w.-]+)*$/;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const COMPONENTS = ['textEncoder', 'unet', 'vaeDecoder'] as const;

/** One thing wrong with a manifest: where (a JSON path such as `variants[0].requires`) and what. */
export interface ManifestProblem {
  field: string;
  problem: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether a path inside a repo is safe to put in a URL and a storage key: relative, '/'-separated, and with
 * no '.' or '..' segment (which would reach another repo's files on the same host), no backslash, no control character.
 */
export function isSafeRepoPath(path: unknown): path is string {
  if (typeof path !== 'string' || path.length === 0 || path.length > 1024) return false;
  if (/[\\\u0000-\u001f\u007f?#%]/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

export function isRepoId(repo: unknown): repo is string {
  return typeof repo === 'string' && REPO_ID.test(repo) && !repo.split('/').some((part) => part === '.' || part === '..');
}

export function isRevision(revision: unknown): revision is string {
  return (
    typeof revision === 'string' &&
    revision.length <= 255 &&
    REVISION.test(revision) &&
    !revision.split('/').some((part) => part === '.' || part === '..')
  );
}

/** Every problem found (empty: the manifest is usable by the library and the pipeline). Unknown fields are allowed. */
export function manifestProblems(value: unknown): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const add = (field: string, problem: string) => problems.push({ field, problem });
  if (!isObject(value)) return [{ field: '(manifest)', problem: 'is not a JSON object' }];
  const m = value;

  const string = (field: string, v: unknown, optional = false) => {
    if (v === undefined && optional) return;
    if (typeof v !== 'string' || v.trim() === '') add(field, 'must be a non-empty string');
  };
  const number = (field: string, v: unknown, { integer = false, min = -Infinity, max = Infinity, optional = false } = {}) => {
    if (v === undefined && optional) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isSafeInteger(v)) || v < min || v > max) {
      const range = max < Infinity ? ` from ${min} to ${max}` : min > -Infinity ? ` of at least ${min}` : '';
      add(field, `must be ${integer ? 'a whole number' : 'a number'}${range}`);
    }
  };
  const object = (field: string, v: unknown): Json | undefined => {
    if (isObject(v)) return v;
    add(field, 'must be an object');
    return undefined;
  };
  const httpsUrl = (field: string, v: unknown) => {
    if (v === undefined) return;
    let url: URL | undefined;
    try {
      url = typeof v === 'string' ? new URL(v) : undefined;
    } catch {
      url = undefined;
    }
    if (url?.protocol !== 'https:') add(field, 'must be an https:// link');
  };

  if (typeof m.id !== 'string' || !MODEL_ID.test(m.id))
    add('id', 'must be 1-80 letters, digits, ".", "_" or "-", starting with a letter or digit');
  string('name', m.name);
  string('description', m.description, true);
  string('licence', m.licence, true);
  httpsUrl('licenceUrl', m.licenceUrl);
  if (!isRepoId(m.repo)) add('repo', 'must be a hub repository id, owner/name');
  if (!isRevision(m.revision)) add('revision', 'must be a branch, tag or commit (letters, digits, ".", "_", "-", "/")');
  if (m.notes !== undefined && (!Array.isArray(m.notes) || m.notes.some((n) => typeof n !== 'string')))
    add('notes', 'must be a list of strings');
  const examples = m.examplePrompts;
  if (
    examples !== undefined &&
    (!Array.isArray(examples) ||
      examples.length > EXAMPLE_PROMPT_LIMITS.count ||
      examples.some((p) => typeof p !== 'string' || p.trim() === '' || p.length > EXAMPLE_PROMPT_LIMITS.chars))
  )
    add(
      'examplePrompts',
      `must be a list of at most ${EXAMPLE_PROMPT_LIMITS.count} non-empty strings of at most ${EXAMPLE_PROMPT_LIMITS.chars} characters`,
    );

  const resolution = object('resolution', m.resolution);
  if (resolution) for (const k of ['width', 'height']) number(`resolution.${k}`, resolution[k], { integer: true, min: 8 });
  const latent = object('latent', m.latent);
  if (latent) {
    number('latent.channels', latent.channels, { integer: true, min: 1 });
    number('latent.scalingFactor', latent.scalingFactor, { min: Number.MIN_VALUE });
    number('latent.downsample', latent.downsample, { integer: true, min: 1 });
  }
  const text = object('text', m.text);
  if (text) for (const k of ['maxLength', 'hiddenSize']) number(`text.${k}`, text[k], { integer: true, min: 1 });
  const defaults = object('defaults', m.defaults);
  if (defaults) {
    string('defaults.sampler', defaults.sampler);
    number('defaults.steps', defaults.steps, { integer: true, min: 1 });
    number('defaults.guidance', defaults.guidance, { min: 0 });
  }
  if (m.maskDiffusion !== undefined) {
    const md = object('maskDiffusion', m.maskDiffusion);
    if (md) number('maskDiffusion.suppression', md.suppression, { min: 0, max: 1, optional: true });
  }
  const tokenizer = object('tokenizer', m.tokenizer);
  if (tokenizer) {
    string('tokenizer.dir', tokenizer.dir);
    number('tokenizer.padTokenId', tokenizer.padTokenId, { integer: true, min: 0, optional: true });
  }

  const paths = new Set<string>();
  if (!Array.isArray(m.files) || m.files.length === 0) add('files', 'must be a non-empty list');
  else {
    m.files.forEach((f: unknown, i) => {
      const field = `files[${i}]`;
      if (!isObject(f)) return add(field, 'must be an object');
      if (!isSafeRepoPath(f.path)) add(`${field}.path`, 'must be a relative path without "." or ".." segments');
      else if (paths.has(f.path)) add(`${field}.path`, `repeats "${f.path}"`);
      else paths.add(f.path);
      number(`${field}.size`, f.size, { integer: true, min: 0, optional: true });
      number(`${field}.approxSize`, f.approxSize, { min: 0, optional: true });
      if (f.sha256 !== undefined && (typeof f.sha256 !== 'string' || !SHA256_HEX.test(f.sha256)))
        add(`${field}.sha256`, 'must be 64 hexadecimal digits');
      if (f.source !== undefined) {
        const source = object(`${field}.source`, f.source);
        if (source && !isRepoId(source.repo)) add(`${field}.source.repo`, 'must be a hub repository id, owner/name');
        if (source && source.revision !== undefined && !isRevision(source.revision))
          add(`${field}.source.revision`, 'must be a branch, tag or commit');
        if (source && !isSafeRepoPath(source.path)) add(`${field}.source.path`, 'must be a relative path without "." or ".." segments');
      }
    });
  }

  if (!Array.isArray(m.variants) || m.variants.length === 0) add('variants', 'must be a non-empty list');
  else {
    const ids = new Set<string>();
    m.variants.forEach((v: unknown, i) => {
      const field = `variants[${i}]`;
      if (!isObject(v)) return add(field, 'must be an object');
      if (typeof v.id !== 'string' || !MODEL_ID.test(v.id)) add(`${field}.id`, 'must be letters, digits, ".", "_" or "-"');
      else if (ids.has(v.id)) add(`${field}.id`, `repeats "${v.id}"`);
      else ids.add(v.id);
      string(`${field}.dtype`, v.dtype);
      if (!Array.isArray(v.requires) || v.requires.some((r) => typeof r !== 'string'))
        add(`${field}.requires`, 'must be a list of strings (may be empty)');
      const files = object(`${field}.files`, v.files);
      for (const component of COMPONENTS) {
        const path = files?.[component];
        if (files && (typeof path !== 'string' || !paths.has(path)))
          add(`${field}.files.${component}`, 'must name a path listed in "files"');
      }
      variantFactsProblems(v, field, add);
      if (v.externalData !== undefined) {
        const external = object(`${field}.externalData`, v.externalData);
        for (const [component, list] of Object.entries(external ?? {})) {
          if (!Array.isArray(list) || list.some((p) => typeof p !== 'string' || !paths.has(p)))
            add(`${field}.externalData.${component}`, 'must list paths listed in "files"');
        }
      }
    });
  }
  if (m.scheduler !== undefined) {
    const scheduler = object('scheduler', m.scheduler);
    const spacing = scheduler?.timestepSpacing;
    if (spacing !== undefined && !TIMESTEP_SPACINGS.includes(spacing as never))
      add('scheduler.timestepSpacing', `is "${String(spacing)}", not one of ${TIMESTEP_SPACINGS.join(', ')}`);
    if (scheduler?.config !== undefined && !paths.has(scheduler.config as string))
      add('scheduler.config', `names ${String(scheduler.config)}, which "files" does not list`);
  }
  return problems;
}

/** A variant's runtime facts: io, sessionOptions and limits, each optional. */
function variantFactsProblems(v: Json, field: string, add: (field: string, problem: string) => void): void {
  const io = v.io === undefined ? undefined : isObject(v.io) ? v.io : (add(`${field}.io`, 'must be an object'), undefined);
  if (io?.staticBatch !== undefined && io.staticBatch !== 1 && io.staticBatch !== 2)
    add(`${field}.io.staticBatch`, `is ${String(io.staticBatch)}; the studio feeds a static batch of 1 or 2`);
  if (v.sessionOptions !== undefined) {
    if (!isObject(v.sessionOptions)) add(`${field}.sessionOptions`, 'must be an object');
    for (const [role, options] of Object.entries(isObject(v.sessionOptions) ? v.sessionOptions : {})) {
      const at = `${field}.sessionOptions.${role}`;
      if (!(COMPONENTS as readonly string[]).includes(role)) add(at, 'is not textEncoder, unet or vaeDecoder');
      else if (!isObject(options)) add(at, 'must be an object');
      else {
        const level = options.graphOptimizationLevel;
        if (level !== undefined && !GRAPH_OPTIMIZATION_LEVELS.includes(level as never))
          add(`${at}.graphOptimizationLevel`, `is "${String(level)}", not one of ${GRAPH_OPTIMIZATION_LEVELS.join(', ')}`);
        const overrides = options.freeDimensionOverrides;
        if (overrides !== undefined && !isObject(overrides)) add(`${at}.freeDimensionOverrides`, 'must be an object');
        for (const [dim, size] of Object.entries(isObject(overrides) ? overrides : {})) {
          if (!(Number.isInteger(size) && (size as number) > 0))
            add(`${at}.freeDimensionOverrides.${dim}`, `is ${String(size)}, not a positive whole number`);
        }
      }
    }
  }
  if (v.limits !== undefined && !isObject(v.limits)) add(`${field}.limits`, 'must be an object');
  for (const [limit, bytes] of Object.entries(isObject(v.limits) ? v.limits : {})) {
    if (!(Number.isInteger(bytes) && (bytes as number) > 0))
      add(`${field}.limits.${limit}`, `is ${String(bytes)}, not a positive number of bytes`);
  }
}

/**
 * A manifest from outside the app (a URL on the hub or mirror), checked against the schema and with the optional
 * display fields filled in; throws naming the first wrong field.
 */
export function checkLibraryManifest(value: unknown, from: string): LibraryManifest {
  const m = assertManifestSchema<LibraryManifest>(value, from);
  return { ...m, licence: m.licence ?? 'unknown', description: m.description ?? '' };
}

/** Throws a StudioError naming the first wrong field, or returns the value typed as the caller's manifest type. */
export function assertManifestSchema<T>(value: unknown, from: string): T {
  const [first, ...rest] = manifestProblems(value);
  if (first) {
    throw new StudioError({
      code: 'model-load',
      stage: 'load',
      message: `The model manifest from ${from} is not usable: "${first.field}" ${first.problem}${rest.length ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : ''}.`,
      remedy: 'Fix the manifest (models/manifests/README.md describes the format), then add it again.',
    });
  }
  return value as T;
}

/** Refuses an added manifest whose id is already a shipped model's, or a reserved storage group's ("hub:…"). */
export function assertManifestIdFree(id: string, takenIds: readonly string[], from: string): void {
  if (!takenIds.includes(id) && !id.startsWith('hub:')) return;
  throw new StudioError({
    code: 'model-load',
    stage: 'load',
    message: `The model manifest from ${from} is not usable: "id" "${id}" is already the id of another model.`,
    remedy: 'Give the manifest an id of its own, then add it again.',
  });
}
