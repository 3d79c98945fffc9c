import { describe, expect, it } from 'vitest';
import { DEFAULT_EMPHASIS, DEFAULT_MASK_DIFFUSION, SETTINGS_LIMITS, validateSettings, withDefaultBlocks } from '../shared/settings';
import { restoreSavedSettings } from './savedSettings';

// The store's defaults, in this shape (the slice itself imports browser-only modules).
const DEFAULT_SETTINGS = withDefaultBlocks({
  prompt: 'a red cat and a blue dog',
  negativePrompt: 'blurry, lowres',
  seed: 42,
  steps: 4,
  guidance: 7.5,
  sampler: 'euler',
});

describe('restoreSavedSettings', () => {
  it('gives settings saved before MaskDiffusion and emphasis existed both blocks, with the defaults', () => {
    const saved = { prompt: 'a cat', negativePrompt: '', seed: 1, steps: 2, guidance: 7.5, sampler: 'euler' };
    const { settings, cut } = restoreSavedSettings(saved, DEFAULT_SETTINGS);
    expect(settings).toEqual({ ...saved, maskDiffusion: DEFAULT_MASK_DIFFUSION, emphasis: DEFAULT_EMPHASIS });
    expect(cut).toBe(0);
    expect(() => validateSettings(settings)).not.toThrow();
  });

  it('keeps what a partial block saved and fills the rest', () => {
    const { settings } = restoreSavedSettings(
      { ...DEFAULT_SETTINGS, maskDiffusion: { enabled: true, strength: 2 }, emphasis: { syntax: 'compel' } },
      DEFAULT_SETTINGS,
    );
    expect(settings.maskDiffusion).toEqual({ enabled: true, strength: 2, variant: 'corrected', boxes: [] });
    expect(settings.emphasis).toEqual({ mode: 'embeddingScaling', syntax: 'compel' });
  });

  it('fills missing fields from the defaults and reads nothing from a value that is not an object', () => {
    expect(restoreSavedSettings({ seed: 9 }, DEFAULT_SETTINGS).settings).toEqual({ ...DEFAULT_SETTINGS, seed: 9 });
    expect(restoreSavedSettings('garbage', DEFAULT_SETTINGS).settings).toEqual(DEFAULT_SETTINGS);
    expect(restoreSavedSettings(null, DEFAULT_SETTINGS).settings).toEqual(DEFAULT_SETTINGS);
  });

  it('still cuts a saved prompt to the limit', () => {
    const { settings, cut } = restoreSavedSettings({ prompt: 'x'.repeat(SETTINGS_LIMITS.promptChars + 10) }, DEFAULT_SETTINGS);
    expect(settings.prompt).toHaveLength(SETTINGS_LIMITS.promptChars);
    expect(cut).toBe(10);
  });
});
