// Generation settings (persisted) and their updates.
import { DEFAULT_EMPHASIS, DEFAULT_MASK_DIFFUSION, type GenerationSettings } from '../../shared/settings';
import { modelSettings, modelSuggestions, sameSuggestedFields, suggestedFieldsOf } from '../modelDefaults';
import type { GetState, SetState, SettingsSlice } from './types';

export const DEFAULT_SETTINGS: GenerationSettings = {
  prompt: 'a red cat and a blue dog',
  negativePrompt: 'blurry, lowres',
  seed: 42,
  steps: 4,
  guidance: 7.5,
  sampler: 'euler',
  maskDiffusion: DEFAULT_MASK_DIFFUSION,
  emphasis: DEFAULT_EMPHASIS,
};

export function randomSeedValue(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}

export function createSettingsSlice(set: SetState, get: GetState): SettingsSlice {
  return {
    settings: DEFAULT_SETTINGS,
    autoFilled: suggestedFieldsOf(DEFAULT_SETTINGS),
    backendPreference: 'auto',
    updateSettings: (patch) => set((s) => ({ settings: { ...s.settings, ...patch } })),
    updateMaskDiffusion: (patch) => set((s) => ({ settings: { ...s.settings, maskDiffusion: { ...s.settings.maskDiffusion, ...patch } } })),
    updateEmphasis: (patch) => set((s) => ({ settings: { ...s.settings, emphasis: { ...s.settings.emphasis, ...patch } } })),
    heatmapsEnabled: false,
    setHeatmapsEnabled: (heatmapsEnabled) => set({ heatmapsEnabled }),
    offerModelDefaults: (model) => {
      // As InvokeAI does: a model's own settings fill the form until the person changes them; theirs are never replaced.
      const { settings, autoFilled } = get();
      if (!sameSuggestedFields(suggestedFieldsOf(settings), autoFilled)) return;
      const suggested = modelSuggestions(model, DEFAULT_SETTINGS.prompt);
      set({ settings: { ...settings, ...suggested }, autoFilled: suggested });
    },
    applyModelDefaults: () => {
      const model = get().model;
      if (!model) return;
      set((s) => ({ settings: { ...s.settings, ...modelSettings(model) } })); // the prompt stays theirs
    },
    randomiseSeed: () => set((s) => ({ settings: { ...s.settings, seed: randomSeedValue() } })),
  };
}
