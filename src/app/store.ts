// The studio's zustand store, built from slices; only settings persist here (images live in IndexedDB).
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { createCheckerSlice } from './slices/checkerSlice';
import { createEngineSlice } from './slices/engineSlice';
import { createGallerySlice } from './slices/gallerySlice';
import { createGenerationSlice } from './slices/generationSlice';
import { createLibrarySlice } from './slices/librarySlice';
import { createSeriesSlice } from './slices/seriesSlice';
import { createSettingsSlice } from './slices/settingsSlice';
import { createTeachingSlice } from './slices/teachingSlice';
import type { StudioState } from './slices/types';
import { deferredJsonStorage } from './deferredStorage';
import { promptCutMessage } from './promptLimit';
import { restoreSavedSettings } from './savedSettings';
import { useUi } from './uiState';

export type { CurrentImage, StudioState } from './slices/types';

export const useStudio = create<StudioState>()(
  persist(
    (set, get) => ({
      ...createSettingsSlice(set, get),
      ...createEngineSlice(set, get),
      ...createGenerationSlice(set, get),
      ...createTeachingSlice(set, get),
      ...createGallerySlice(set, get),
      ...createCheckerSlice(set, get),
      ...createLibrarySlice(set, get),
      ...createSeriesSlice(set, get),
    }),
    {
      name: 'studio-settings',
      version: 1,
      // Written after a short wait (and when the page is left), not on each keystroke in the prompt.
      storage: deferredJsonStorage(),
      partialize: (s) => ({
        settings: s.settings,
        backendPreference: s.backendPreference,
        teachingMode: s.teachingMode,
        heatmapsEnabled: s.heatmapsEnabled,
      }),
      // zustand's default merge (saved fields over the defaults), with the settings made whole and their prompts cut.
      merge: (saved, current) => {
        const state = { ...current, ...(saved as Partial<StudioState>) };
        const { settings, cut } = restoreSavedSettings(state.settings, current.settings);
        if (cut > 0) useUi.getState().setPromptCutNotice(promptCutMessage(cut, 'load'));
        return { ...state, settings };
      },
    },
  ),
);
