// Engine lifecycle: backend choice, model loading (again after a worker crash) and what the loaded model supports.
import { describeError, StudioError } from '../../shared/errors';
import { activeModelSource } from './librarySlice';
import type { EngineSlice, GetState, SetState, SliceContext } from './types';

export function createEngineSlice(set: SetState, get: GetState, { services: { engine } }: SliceContext): EngineSlice {
  /** Loads the app's model with its backend preference; `notice` (why it loads again) stays shown meanwhile. */
  async function loadModel(notice: string | null): Promise<void> {
    engine.onCrash = (crash) => {
      // The fresh worker has no model: load the app's again. A worker that crashed while loading would crash again.
      if (get().engineStatus !== 'loading') return void loadModel(describeError(crash));
      set({
        engineStatus: 'error',
        loadProgress: null,
        error: `${crash.stage}: ${crash.message} It crashed while loading the model: choose the WASM backend or a smaller model, or reload the page.`,
      });
    };
    set({ engineStatus: 'loading', loadProgress: null, error: notice });
    try {
      const ready = await engine.load(
        get().backendPreference,
        (loadProgress) => set({ loadProgress }),
        undefined,
        activeModelSource(get()),
      );
      get().offerModelDefaults(ready.model);
      set({ engineStatus: 'ready', backend: ready.backend, model: ready.model, loadProgress: null });
    } catch (error) {
      const e = StudioError.from(error, 'load');
      // Replaced by a newer load, or lost with a crashed worker: the newer load and the crash handler report instead.
      if (e.code === 'cancelled' || e.code === 'worker-crashed') return;
      const message = describeError(e);
      if (get().activeModelId) {
        // An installed model that cannot load (deleted, evicted): keep the studio usable on the built-in one.
        await get().useModel(null);
        set({ error: `${message} The built-in model is loaded instead.` });
        return;
      }
      set({ engineStatus: 'error', error: message });
    }
  }

  return {
    engineStatus: 'starting',
    loadProgress: null,
    backend: null,
    model: null,
    setBackendPreference: (backendPreference) => {
      set({ backendPreference });
      void get().startEngine();
    },
    startEngine: () => loadModel(null),
  };
}
