import { describe, expect, it } from 'vitest';
import { DEFAULT_EMPHASIS, DEFAULT_MASK_DIFFUSION, type GenerationSettings } from '../../shared/settings';
import { parsePresetFile, PresetFileError, presetFileText, withRecentPrompt, type Preset } from './presetFile';

const settings: GenerationSettings = {
  prompt: 'a red cat',
  negativePrompt: 'blurry',
  seed: 7,
  steps: 4,
  guidance: 7.5,
  sampler: 'euler',
  maskDiffusion: { enabled: true, strength: 1.2, variant: 'reference', boxes: [{ x0: 0, y0: 0, x1: 0.5, y1: 0.5 }, null] },
  emphasis: { mode: 'lerpFromEmpty', syntax: 'compel' },
};
const preset: Preset = { id: 'x', name: 'Cat', createdAt: 1, settings };
const file = (presets: unknown[], extra = {}) => JSON.stringify({ format: 'diffusion-studio-presets', version: 1, presets, ...extra });

describe('preset files', () => {
  it('round-trips presets through export and import (new ids, same names and settings)', () => {
    const plain = { ...settings, maskDiffusion: DEFAULT_MASK_DIFFUSION, emphasis: DEFAULT_EMPHASIS };
    const back = parsePresetFile(presetFileText([preset, { ...preset, id: 'y', name: 'Plain', settings: plain }]));
    expect(back.map((p) => p.name)).toEqual(['Cat', 'Plain']);
    expect(back[0].settings).toEqual(settings);
    expect(back[1].settings).toEqual(plain);
    expect(back[0].id).not.toBe('x');
  });

  it('gives a preset written before MaskDiffusion and emphasis existed their defaults', () => {
    const { maskDiffusion: _m, emphasis: _e, ...old } = settings;
    expect(parsePresetFile(file([{ name: 'Old', settings: old }]))[0].settings).toEqual({
      ...old,
      maskDiffusion: DEFAULT_MASK_DIFFUSION,
      emphasis: DEFAULT_EMPHASIS,
    });
  });

  it.each([
    ['not JSON', '{presets', /not JSON/],
    ['another JSON file', JSON.stringify({ name: 'Tiny SD', variants: [] }), /not a presets file/],
    ['a newer version', file([], { version: 2 }), /version 2/],
    ['a preset without a name', file([{ settings }]), /Preset 1: name must be text/],
    [
      'a sampler the studio lacks',
      file([{ name: 'A', settings: { ...settings, sampler: 'unipc' } }]),
      /Preset 1 \("A"\): settings.sampler must be one of/,
    ],
    ['steps as text', file([{ name: 'A', settings: { ...settings, steps: '20' } }]), /settings.steps must be a number/],
    [
      'steps out of range',
      file([{ name: 'A', settings: { ...settings, steps: 5000 } }]),
      /Preset 1 \("A"\): Steps must be a whole number from 1 to 150/,
    ],
    [
      'a malformed box',
      file([{ name: 'A', settings: { ...settings, maskDiffusion: { ...settings.maskDiffusion, boxes: ['left'] } } }]),
      /boxes must hold boxes/,
    ],
    [
      'an unknown emphasis mode',
      file([{ name: 'A', settings: { ...settings, emphasis: { mode: 'loud', syntax: 'auto' } } }]),
      /settings.emphasis must have mode/,
    ],
    ['too many presets', file(Array.from({ length: 201 }, (_, i) => ({ name: `P${i}`, settings }))), /holds 201 presets; at most 200/],
  ])('refuses %s with a message naming what is wrong', (_what, text, message) => {
    expect(() => parsePresetFile(text)).toThrow(PresetFileError);
    expect(() => parsePresetFile(text)).toThrow(message);
  });

  it('keeps only the settings fields it knows', () => {
    const [p] = parsePresetFile(file([{ name: 'A', settings: { ...settings, __proto__x: 1, backendPreference: 'webgpu' } }]));
    expect(Object.keys(p.settings).sort()).toEqual([
      'emphasis',
      'guidance',
      'maskDiffusion',
      'negativePrompt',
      'prompt',
      'sampler',
      'seed',
      'steps',
    ]);
  });
});

describe('recent prompts', () => {
  it('puts the newest first, keeps one entry per prompt pair, ignores empty prompts and keeps at most 50', () => {
    let h = withRecentPrompt([], 'a', 'n', 1);
    h = withRecentPrompt(h, 'b', 'n', 2);
    h = withRecentPrompt(h, 'a', 'n', 3);
    h = withRecentPrompt(h, '  ', 'n', 4);
    expect(h).toEqual([
      { prompt: 'a', negativePrompt: 'n', usedAt: 3 },
      { prompt: 'b', negativePrompt: 'n', usedAt: 2 },
    ]);
    for (let i = 0; i < 60; i++) h = withRecentPrompt(h, `p${i}`, '', i);
    expect(h).toHaveLength(50);
    expect(h[0].prompt).toBe('p59');
  });
});
