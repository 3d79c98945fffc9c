// The manifest schema: shipped manifests pass; each wrong field is named; random and hostile input never gets through or crashes.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURE_FAMILIES } from '../../scripts/hub-server/server.mjs';
import { resolveFileUrl, type LibraryManifest } from './libraryManifest';
import { assertManifestIdFree, checkLibraryManifest, manifestProblems } from './manifestSchema';

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const shipped = readdirSync('models/manifests')
  .filter((f) => f.endsWith('.json'))
  .map((f) => readJson(`models/manifests/${f}`) as LibraryManifest);
/** The real-model fixture families' manifests, which the hub test server serves for adding by URL. */
const fixtures = FIXTURE_FAMILIES.map((family) => readJson(`models/fixtures/families/${family}/manifest.json`) as LibraryManifest);
const turbo = () => readJson('models/manifests/sd-turbo-ort-web.json');
const tiny = () => structuredClone(shipped.find((m) => m.id === 'tiny-sd-random')!);
const fieldsOf = (value: unknown) => manifestProblems(value).map((p) => p.field);

/** A small seeded generator, so a failing fuzz case can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0) / 2 ** 32;
}
const HOSTILE = [
  '',
  ' ',
  '..',
  '../..',
  '/etc/passwd',
  'a/../b',
  'a/./b',
  'a//b',
  '\u0000',
  'a\\b',
  '%2e%2e',
  'hub:x',
  '__proto__',
  'constructor',
  'x'.repeat(5000),
  '😀',
  'javascript:alert(1)',
  'http://evil.example/',
  'NaN',
  '-1',
  '1e309',
];
function hostileValue(next: () => number): unknown {
  const pick = Math.floor(next() * 9);
  if (pick === 0) return HOSTILE[Math.floor(next() * HOSTILE.length)];
  if (pick === 1) return [NaN, Infinity, -1, 1.5, 2 ** 60, 0][Math.floor(next() * 6)];
  if (pick === 2) return null;
  if (pick === 3) return [];
  if (pick === 4) return {};
  if (pick === 5) return [hostileValue(next)];
  if (pick === 6) return String.fromCharCode(...Array.from({ length: 1 + Math.floor(next() * 12) }, () => Math.floor(next() * 0x3000)));
  if (pick === 7) return true;
  return undefined;
}
/** Replaces one field somewhere in the manifest (top level, a file, a variant or its files) with a hostile value. */
function mutate(manifest: LibraryManifest, next: () => number): unknown {
  const m = structuredClone(manifest) as unknown as Record<string, unknown>;
  const targets: Record<string, unknown>[] = [
    m,
    ...(m.files as Record<string, unknown>[]),
    ...(m.variants as Record<string, unknown>[]),
    ...(m.variants as { files: Record<string, unknown> }[]).map((v) => v.files),
  ];
  const target = targets[Math.floor(next() * targets.length)];
  const keys = Object.keys(target);
  target[keys[Math.floor(next() * keys.length)]] = hostileValue(next);
  return m;
}

describe('manifest schema', () => {
  it.each(shipped.map((m) => [m.id, m] as const))('%s (shipped) passes', (_id, manifest) => {
    expect(manifestProblems(manifest)).toEqual([]);
  });

  it.each(fixtures.map((m) => [m.id, m] as const))('%s (fixture family, added by URL) passes', (_id, manifest) => {
    expect(manifestProblems(manifest)).toEqual([]);
    expect(checkLibraryManifest(manifest, 'test').id).toBe(manifest.id);
  });

  it('keeps the runtime facts as written, and fills in licence and description when absent', () => {
    const checked = checkLibraryManifest(turbo(), 'test');
    expect(checked.tokenizer.padTokenId).toBe(0);
    expect(checked.scheduler?.timestepSpacing).toBe('trailing');
    expect(checked.variants[0].sessionOptions?.unet?.freeDimensionOverrides?.batch_size).toBe(1);
    const bare = turbo();
    delete bare.licence;
    delete bare.description;
    expect(checkLibraryManifest(bare, 'test')).toMatchObject({ licence: 'unknown', description: '' });
  });

  it.each([
    ['a negative pad id', (m: any) => (m.tokenizer.padTokenId = -1), 'tokenizer.padTokenId', 'must be a whole number of at least 0'],
    [
      'an unknown spacing',
      (m: any) => (m.scheduler = { timestepSpacing: 'karras' }),
      'scheduler.timestepSpacing',
      'is "karras", not one of leading, trailing, linspace',
    ],
    [
      'a scheduler config not in files',
      (m: any) => (m.scheduler = { config: 'scheduler/scheduler_config.json' }),
      'scheduler.config',
      'names scheduler/scheduler_config.json, which "files" does not list',
    ],
    [
      'a static batch of 3',
      (m: any) => (m.variants[0].io = { staticBatch: 3 }),
      'variants[0].io.staticBatch',
      'is 3; the studio feeds a static batch of 1 or 2',
    ],
    [
      'session options for an unknown role',
      (m: any) => (m.variants[0].sessionOptions = { safetyChecker: {} }),
      'variants[0].sessionOptions.safetyChecker',
      'is not textEncoder, unet or vaeDecoder',
    ],
    [
      'an unknown optimisation level',
      (m: any) => (m.variants[0].sessionOptions = { unet: { graphOptimizationLevel: 'max' } }),
      'variants[0].sessionOptions.unet.graphOptimizationLevel',
      'is "max", not one of disabled, basic, extended, all',
    ],
    [
      'a zero dim override',
      (m: any) => (m.variants[0].sessionOptions = { unet: { freeDimensionOverrides: { batch_size: 0 } } }),
      'variants[0].sessionOptions.unet.freeDimensionOverrides.batch_size',
      'is 0, not a positive whole number',
    ],
    [
      'a negative limit',
      (m: any) => (m.variants[0].limits = { maxBufferSize: -5 }),
      'variants[0].limits.maxBufferSize',
      'is -5, not a positive number of bytes',
    ],
    ['limits that are not an object', (m: any) => (m.variants[0].limits = 7), 'variants[0].limits', 'must be an object'],
    [
      'a MaskDiffusion suppression above 1',
      (m: any) => (m.maskDiffusion = { suppression: 2 }),
      'maskDiffusion.suppression',
      'must be a number from 0 to 1',
    ],
    ['MaskDiffusion tuning that is not an object', (m: any) => (m.maskDiffusion = 'less'), 'maskDiffusion', 'must be an object'],
  ])('refuses %s, naming the field, for shipped and URL-added manifests alike', (_what, spoil, field, problem) => {
    const manifest = turbo();
    spoil(manifest);
    expect(manifestProblems(manifest)).toEqual([{ field, problem }]); // what the catalog uses for shipped and saved manifests
    expect(() => checkLibraryManifest(manifest, 'the hub')).toThrow(
      `The model manifest from the hub is not usable: "${field}" ${problem}.`,
    );
  });

  it('names each wrong field: a missing requires, a non-numeric size, a non-hex sha256, an http licence link, a ".." path', () => {
    const m = tiny() as unknown as { variants: Record<string, unknown>[]; files: Record<string, unknown>[]; licenceUrl?: string };
    delete m.variants[0].requires;
    m.files[0].size = '3444118';
    m.files[1].sha256 = 'z'.repeat(64);
    m.licenceUrl = 'http://example.com/licence';
    m.files[2].path = '../other-repo/unet/model.onnx';
    expect(fieldsOf(m)).toEqual(
      expect.arrayContaining(['variants[0].requires', 'files[0].size', 'files[1].sha256', 'licenceUrl', 'files[2].path']),
    );
    expect(() => checkLibraryManifest(m, 'https://hub.example/m.json')).toThrow(
      'The model manifest from https://hub.example/m.json is not usable: "licenceUrl" must be an https:// link (and 4 more problems).',
    );
  });

  it('takes up to 8 example prompts of at most 200 characters, and names the field otherwise', () => {
    expect(fieldsOf({ ...tiny(), examplePrompts: ['a red circle', 'a yellow star above a purple heart'] })).toEqual([]);
    for (const bad of ['a red circle', [''], ['x'.repeat(201)], Array(9).fill('a red circle'), [42]])
      expect(fieldsOf({ ...tiny(), examplePrompts: bad })).toEqual(['examplePrompts']);
  });

  it('refuses ids that collide with a shipped model or a hub storage group', () => {
    expect(() => assertManifestIdFree('tiny-sd-random', ['tiny-sd-random'], 'u')).toThrow(
      '"id" "tiny-sd-random" is already the id of another model',
    );
    expect(fieldsOf({ ...tiny(), id: 'hub:test-org/tiny-sd@main' })).toContain('id');
    expect(() => assertManifestIdFree('team-model', ['tiny-sd-random'], 'u')).not.toThrow();
  });

  it('fuzz: 3,000 manifests with one hostile field each are either refused naming a field or still well-formed', () => {
    const next = random(12);
    for (let i = 0; i < 3000; i++) {
      const candidate = mutate(tiny(), next);
      let problems: ReturnType<typeof manifestProblems> = [];
      expect(() => (problems = manifestProblems(candidate))).not.toThrow();
      if (problems.length > 0) {
        expect(problems[0].field).toMatch(/^[\w.[\]]+$/);
        continue;
      }
      // Accepted: every file must still resolve to a URL on the hub, inside the manifest's repo.
      const accepted = candidate as LibraryManifest;
      for (const file of accepted.files) {
        const url = new URL(resolveFileUrl(accepted, file, { hubBase: 'https://huggingface.co' }));
        expect(url.origin).toBe('https://huggingface.co');
        expect(url.pathname.startsWith(`/${file.source?.repo ?? accepted.repo}/resolve/`)).toBe(true);
      }
    }
  });

  it('fuzz: the URL builder refuses random and hostile paths and revisions, or keeps them inside the repo', () => {
    const next = random(7);
    const base = tiny();
    for (let i = 0; i < 3000; i++) {
      const path = [...Array(1 + Math.floor(next() * 4))].map(() => String(hostileValue(next) ?? 'x')).join('/');
      const revision = next() < 0.5 ? 'main' : String(hostileValue(next) ?? 'main');
      const manifest = { ...base, revision };
      let url: string | undefined;
      try {
        url = resolveFileUrl(manifest, { path }, { hubBase: 'https://huggingface.co' });
      } catch (error) {
        expect((error as Error).message).toMatch(/is not a file path inside|is not a hub repository id/);
        continue;
      }
      const parsed = new URL(url);
      expect(parsed.origin).toBe('https://huggingface.co');
      expect(parsed.pathname.startsWith(`/${base.repo}/resolve/`)).toBe(true); // no '..' climbed out of the repo
      expect(parsed.pathname.split('/')).not.toContain('..');
    }
    expect(() => resolveFileUrl(base, { path: 'a/../../other/repo/resolve/main/x' }, { hubBase: 'https://huggingface.co' })).toThrow(
      'is not a file path inside',
    );
  });
});
