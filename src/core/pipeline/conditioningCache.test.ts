// The last prompt's conditioning is kept: on the real tiny model (WASM sessions in Node), a generation that changes
// only what is applied after the text encoder runs no text encoder and draws the same pixels as a fresh encode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationSettings } from '../../shared/settings';
import type { Tensor } from '../ort/runtime';
import { ConditioningCache } from './conditioningCache';
import { releasePipeline, type LoadedPipeline } from './loadPipeline';
import { generateImage } from './textToImage';
import { counted, loadTinyPipeline, TWO_OBJECT_SETTINGS } from './testModel.test-support';

const settings = TWO_OBJECT_SETTINGS;

describe('the conditioning kept from one generation to the next (tiny model)', () => {
  let p: LoadedPipeline;
  let textEncoderRuns: { runs: number };
  beforeAll(async () => {
    p = await loadTinyPipeline();
    textEncoderRuns = counted(p.textEncoder);
  });
  afterAll(() => releasePipeline(p));

  const encodes = async (s: GenerationSettings) => {
    const before = textEncoderRuns.runs;
    const image = await generateImage(p, s);
    return { image, encoded: textEncoderRuns.runs - before };
  };

  it('a new seed, step count, sampler or guidance scale runs no text encoder, and draws what a fresh encode draws', async () => {
    p.conditioningCache.clear();
    expect((await encodes(settings)).encoded).toBe(1);
    const changed: GenerationSettings = { ...settings, seed: 8, steps: 4, sampler: 'ddim', guidance: 4 };
    const kept = await encodes(changed);
    expect(kept.encoded).toBe(0);
    p.conditioningCache.clear();
    const fresh = await encodes(changed);
    expect(fresh.encoded).toBe(1);
    expect(kept.image.rgba).toEqual(fresh.image.rgba);
  });

  it('a new prompt, negative prompt, emphasis, guidance on or off, or MaskDiffusion on or off encodes again', async () => {
    await encodes(settings);
    const variants: GenerationSettings[] = [
      { ...settings, prompt: 'a red cat and a green dog' },
      { ...settings, negativePrompt: 'dark' },
      { ...settings, emphasis: { ...settings.emphasis, mode: 'lerpFromEmpty' } },
      { ...settings, emphasis: { ...settings.emphasis, syntax: 'compel' } },
      { ...settings, guidance: 1 },
      { ...settings, maskDiffusion: { ...settings.maskDiffusion, enabled: true } },
    ];
    for (const variant of variants) {
      expect((await encodes(variant)).encoded, JSON.stringify(variant)).toBe(1);
      expect((await encodes(settings)).encoded).toBe(1); // and back
    }
  });

  it('keeps prompt warnings and words with the kept conditioning', async () => {
    const broken = { ...settings, prompt: 'a (red cat and a blue dog' };
    const first = await encodes(broken);
    const second = await encodes({ ...broken, seed: 9 });
    expect(second.encoded).toBe(0);
    expect(first.image.promptWarnings.length).toBeGreaterThan(0);
    expect(second.image.promptWarnings).toEqual(first.image.promptWarnings);
    expect(second.image.words).toEqual(first.image.words);
  });
});

describe('ConditioningCache frees a replaced tensor once no generation uses it', () => {
  const setUp = () => {
    const freed: string[] = [];
    const cache = new ConditioningCache<string>({ dispose: (...tensors) => freed.push(...tensors.map((t) => String(t))) });
    const make = (name: string) => async () => ({ value: name, embeddings: name as unknown as Tensor });
    return { cache, freed, make };
  };

  it('reuses the value for the same key and frees the old one when another key replaces it', async () => {
    const { cache, freed, make } = setUp();
    const a = await cache.lease('a', make('A'));
    a.release();
    const again = await cache.lease('a', make('A2'));
    expect([again.value, again.reused]).toEqual(['A', true]);
    again.release();
    expect(freed).toEqual([]);
    const b = await cache.lease('b', make('B'));
    expect([b.value, b.reused]).toEqual(['B', false]);
    expect(freed).toEqual(['A']);
    b.release();
    cache.clear();
    expect(freed).toEqual(['A', 'B']);
  });

  it('keeps a replaced value alive until the generation using it releases it, once', async () => {
    const { cache, freed, make } = setUp();
    const inUse = await cache.lease('a', make('A'));
    const other = await cache.lease('b', make('B'));
    expect(freed).toEqual([]);
    inUse.release();
    inUse.release();
    expect(freed).toEqual(['A']);
    cache.clear();
    expect(freed).toEqual(['A']); // B is still leased
    other.release();
    expect(freed).toEqual(['A', 'B']);
  });

  it('keeps the old value when making the new one fails', async () => {
    const { cache, freed, make } = setUp();
    (await cache.lease('a', make('A'))).release();
    await expect(
      cache.lease('b', async () => {
        throw new Error('text encoder failed');
      }),
    ).rejects.toThrow('text encoder failed');
    expect(freed).toEqual([]);
    expect((await cache.lease('a', make('A2'))).value).toBe('A');
  });
});
