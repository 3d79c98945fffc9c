// The manifest check accepts the shipped manifests and refuses malformed issue-11 facts with a sentence naming them.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkLibraryManifest } from './libraryManifestCheck';

const shipped = readdirSync('models/manifests')
  .filter((name) => name.endsWith('.json'))
  .map((name) => [name, JSON.parse(readFileSync(`models/manifests/${name}`, 'utf8'))] as const);
const turbo = () => JSON.parse(readFileSync('models/manifests/sd-turbo-ort-web.json', 'utf8'));

describe('checkLibraryManifest', () => {
  it.each(shipped)('accepts the shipped %s', (_name, manifest) => {
    expect(checkLibraryManifest(manifest, 'test').id).toBe(manifest.id);
  });

  it('keeps the new facts as written', () => {
    const checked = checkLibraryManifest(turbo(), 'test');
    expect(checked.tokenizer.padTokenId).toBe(0);
    expect(checked.scheduler?.timestepSpacing).toBe('trailing');
    expect(checked.variants[0].sessionOptions?.unet?.freeDimensionOverrides?.batch_size).toBe(1);
  });

  it.each([
    ['a negative pad id', (m: any) => (m.tokenizer.padTokenId = -1), /padTokenId/],
    ['an unknown spacing', (m: any) => (m.scheduler = { timestepSpacing: 'karras' }), /"scheduler.timestepSpacing" is "karras"/],
    ['a scheduler config not in files', (m: any) => (m.scheduler = { config: 'scheduler/scheduler_config.json' }), /names scheduler\/scheduler_config.json/],
    ['a static batch of 3', (m: any) => (m.variants[0].io = { staticBatch: 3 }), /"io.staticBatch" 3/],
    ['session options for an unknown role', (m: any) => (m.variants[0].sessionOptions = { safetyChecker: {} }), /"safetyChecker"/],
    ['an unknown optimisation level', (m: any) => (m.variants[0].sessionOptions = { unet: { graphOptimizationLevel: 'max' } }), /graphOptimizationLevel "max"/],
    ['a zero dim override', (m: any) => (m.variants[0].sessionOptions = { unet: { freeDimensionOverrides: { batch_size: 0 } } }), /"batch_size" with 0/],
    ['a negative limit', (m: any) => (m.variants[0].limits = { maxBufferSize: -5 }), /maxBufferSize = -5/],
  ])('refuses %s', (_what, spoil, message) => {
    const manifest = turbo();
    spoil(manifest);
    expect(() => checkLibraryManifest(manifest, 'the hub')).toThrow(message);
  });
});
