// Presets and recent prompts, persisted in localStorage apart from the settings (their own key, their own limits).
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { GenerationSettings } from '../../shared/settings';
import { PRESET_LIMITS, withRecentPrompt, type Preset, type RecentPrompt } from './presetFile';

interface PresetsState {
  presets: Preset[];
  history: RecentPrompt[];
  /** Saves the settings under a name; a preset of the same name is replaced (as A1111's styles are). */
  savePreset: (name: string, settings: GenerationSettings) => void;
  deletePreset: (id: string) => void;
  /** Adds imported presets; one whose name exists replaces it. Returns how many were added or replaced. */
  importPresets: (imported: readonly Preset[]) => number;
  recordPrompt: (prompt: string, negativePrompt: string) => void;
  clearHistory: () => void;
}

function merged(existing: readonly Preset[], incoming: readonly Preset[]): Preset[] {
  const names = new Set(incoming.map((p) => p.name));
  return [...incoming, ...existing.filter((p) => !names.has(p.name))].slice(0, PRESET_LIMITS.presets);
}

export const usePresets = create<PresetsState>()(
  persist(
    (set) => ({
      presets: [],
      history: [],
      savePreset: (name, settings) =>
        set((s) => ({
          presets: merged(s.presets, [
            { id: crypto.randomUUID(), name: name.trim().slice(0, PRESET_LIMITS.nameChars), createdAt: Date.now(), settings },
          ]),
        })),
      deletePreset: (id) => set((s) => ({ presets: s.presets.filter((p) => p.id !== id) })),
      importPresets: (imported) => {
        set((s) => ({ presets: merged(s.presets, imported) }));
        return imported.length;
      },
      recordPrompt: (prompt, negativePrompt) => set((s) => ({ history: withRecentPrompt(s.history, prompt, negativePrompt) })),
      clearHistory: () => set({ history: [] }),
    }),
    { name: 'studio-presets', version: 1, partialize: (s) => ({ presets: s.presets, history: s.history }) },
  ),
);
