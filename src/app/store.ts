// The page's zustand store: the studio's slices over the page's workers; only settings persist here (images live in IndexedDB).
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { StudioState } from './slices/types';
import { deferredJsonStorage } from './deferredStorage';
import { pageServices } from './pageServices';
import { studioState } from './studioStore';
import { promptCutMessage } from './promptLimit';
import { restoreSavedSettings } from './savedSettings';
import { useUi } from './uiState';

export type { CurrentImage, StudioState } from './slices/types';

export const useStudio = create<StudioState>()(
  persist(studioState(pageServices()), {
    name: 'studio-settings',
    version: 1,
    // Written after a short wait (and when the page is left), not on each keystroke in the prompt.
    storage: deferredJsonStorage(),
    partialize: (s) => ({
      settings: s.settings,
      autoFilled: s.autoFilled,
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
  }),
);
