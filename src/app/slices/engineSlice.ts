// Engine lifecycle: backend choice, model loading and what the loaded model supports.
import { describeError, StudioError } from '../../shared/errors';
import { getEngine } from '../engineInstance';
import { activeModelSource } from './librarySlice';
import type { EngineSlice, GetState, SetState } from './types';

export function createEngineSlice(set: SetState, get: GetState): EngineSlice {
  return {
    engineStatus: 'starting',
    loadProgress: null,
    backend: null,
    model: null,
    setBackendPreference: (backendPreference) => {
      set({ backendPreference });
      void get().startEngine();
    },
    startEngine: async () => {
      set({ engineStatus: 'loading', loadProgress: null, error: null });
      try {
        const ready = await getEngine().init(get().backendPreference, (p) => {
          if (p.type === 'load-progress') set({ loadProgress: { loaded: p.loaded, total: p.total, label: p.label } });
        }, undefined, activeModelSource(get()));
        set({ engineStatus: 'ready', backend: ready.backend, model: ready.model, loadProgress: null });
      } catch (error) {
        const message = describeError(StudioError.from(error, 'load'));
        if (get().activeModelId) {
          // An installed model that cannot load (deleted, evicted): keep the studio usable on the built-in one.
          await get().useModel(null);
          set({ error: `${message} The built-in model is loaded instead.` });
          return;
        }
        set({ engineStatus: 'error', error: message });
      }
    },
  };
}
