// The studio's state built from its slices over the services it is given: the page's store (store.ts) adds persistence
// and the workers; Node tests make one over in-process services with createStudioStore.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createCheckerSlice } from './slices/checkerSlice';
import { createEngineSlice } from './slices/engineSlice';
import { createGallerySlice } from './slices/gallerySlice';
import { createGenerationSlice } from './slices/generationSlice';
import { createLibrarySlice } from './slices/librarySlice';
import { createSeriesSlice } from './slices/seriesSlice';
import { createSettingsSlice } from './slices/settingsSlice';
import { createTeachingSlice } from './slices/teachingSlice';
import type { GetState, SetState, SliceContext, StudioState } from './slices/types';
import type { StudioServices } from './studioServices';

/** Every slice over one set of services, with this store's own running jobs. */
export function studioState(services: StudioServices): (set: SetState, get: GetState) => StudioState {
  return (set, get) => {
    const ctx: SliceContext = { services, jobs: { generation: null, checkerLoop: null, checker: null } };
    return {
      ...createSettingsSlice(set, get),
      ...createEngineSlice(set, get, ctx),
      ...createGenerationSlice(set, get, ctx),
      ...createTeachingSlice(set, get, ctx),
      ...createGallerySlice(set, get, ctx),
      ...createCheckerSlice(set, get, ctx),
      ...createLibrarySlice(set, get, ctx),
      ...createSeriesSlice(set, get, ctx),
    };
  };
}

/** A store without persistence (Node tests, scripts): the page's store is useStudio in store.ts. */
export function createStudioStore(services: StudioServices): StoreApi<StudioState> {
  return createStore<StudioState>()(studioState(services));
}
