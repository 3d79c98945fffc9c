// The studio's zustand store, built from slices; only settings persist here (images live in IndexedDB).
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { createCheckerSlice } from './slices/checkerSlice';
import { createEngineSlice } from './slices/engineSlice';
import { createGallerySlice } from './slices/gallerySlice';
import { createGenerationSlice } from './slices/generationSlice';
import { createLibrarySlice } from './slices/librarySlice';
import { createSettingsSlice } from './slices/settingsSlice';
import { createTeachingSlice } from './slices/teachingSlice';
import type { StudioState } from './slices/types';

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
    }),
    {
      name: 'studio-settings',
      version: 1,
      partialize: (s) => ({ settings: s.settings, backendPreference: s.backendPreference, teachingMode: s.teachingMode, heatmapsEnabled: s.heatmapsEnabled }),
    },
  ),
);
