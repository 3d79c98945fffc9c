// The studio's zustand store: settings (persisted), engine status, the running generation, the gallery.
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { describeError, StudioError } from '../shared/errors';
import type { BackendInfo, BackendPreference, EngineStats, GenerationPhase, ModelInfo } from '../shared/protocol';
import type { GenerationSettings } from '../shared/settings';
import { deleteFromGallery, listGallery, saveToGallery, type GalleryEntry } from '../storage/gallery';
import { EngineClient } from './engineClient';

export interface CurrentImage {
  url: string;
  png: Blob;
  settings: GenerationSettings;
  width: number;
  height: number;
  stats: EngineStats;
  timings: { totalMs: number; denoiseMs: number };
  /** Click-to-result time seen by the UI thread (pipeline, PNG encoding and messaging included). */
  wallMs: number;
  truncatedWords: string[];
}

type EngineStatus = 'starting' | 'loading' | 'ready' | 'error';

interface StudioState {
  settings: GenerationSettings;
  backendPreference: BackendPreference;
  engineStatus: EngineStatus;
  loadProgress: { loaded: number; total: number; label: string } | null;
  backend: BackendInfo | null;
  model: ModelInfo | null;
  running: boolean;
  progress: { phase: GenerationPhase; step: number; totalSteps: number } | null;
  current: CurrentImage | null;
  error: string | null;
  gallery: GalleryEntry[];
  updateSettings: (patch: Partial<GenerationSettings>) => void;
  randomiseSeed: () => void;
  setBackendPreference: (p: BackendPreference) => void;
  startEngine: () => Promise<void>;
  generate: () => Promise<void>;
  cancel: () => void;
  loadGallery: () => Promise<void>;
  deleteGalleryEntry: (id: string) => Promise<void>;
  dismissError: () => void;
}

export const DEFAULT_SETTINGS: GenerationSettings = {
  prompt: 'a red cat and a blue dog',
  negativePrompt: 'blurry, lowres',
  seed: 42,
  steps: 4,
  guidance: 7.5,
  sampler: 'euler',
};

let engine: EngineClient | null = null;
let cancelCurrent: (() => void) | null = null;

export function randomSeedValue(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}

export const useStudio = create<StudioState>()(
  persist(
    (setState, getState) => ({
      settings: DEFAULT_SETTINGS,
      backendPreference: 'auto',
      engineStatus: 'starting',
      loadProgress: null,
      backend: null,
      model: null,
      running: false,
      progress: null,
      current: null,
      error: null,
      gallery: [],

      updateSettings: (patch) => setState((s) => ({ settings: { ...s.settings, ...patch } })),
      randomiseSeed: () => setState((s) => ({ settings: { ...s.settings, seed: randomSeedValue() } })),
      setBackendPreference: (backendPreference) => {
        setState({ backendPreference });
        void getState().startEngine();
      },
      dismissError: () => setState({ error: null }),

      startEngine: async () => {
        engine ??= EngineClient.start();
        setState({ engineStatus: 'loading', loadProgress: null, error: null });
        try {
          const ready = await engine.init(getState().backendPreference, (p) => {
            if (p.type === 'load-progress') setState({ loadProgress: { loaded: p.loaded, total: p.total, label: p.label } });
          });
          setState({ engineStatus: 'ready', backend: ready.backend, model: ready.model, loadProgress: null });
        } catch (error) {
          setState({ engineStatus: 'error', error: describeError(StudioError.from(error, 'load')) });
        }
      },

      generate: async () => {
        const state = getState();
        if (!engine || state.engineStatus !== 'ready' || state.running) return;
        setState({ running: true, error: null, progress: { phase: 'encode', step: 0, totalSteps: state.settings.steps } });
        const requested = performance.now();
        const job = engine.generate(state.settings, (p) => {
          if (p.type === 'progress') setState({ progress: { phase: p.phase, step: p.step, totalSteps: p.totalSteps } });
        });
        cancelCurrent = job.cancel;
        try {
          const result = await job.done;
          const wallMs = performance.now() - requested;
          const png = new Blob([result.png as Uint8Array<ArrayBuffer>], { type: 'image/png' });
          const previous = getState().current;
          if (previous) URL.revokeObjectURL(previous.url);
          setState({
            current: {
              url: URL.createObjectURL(png), png, settings: result.settings, width: result.width, height: result.height,
              stats: result.stats, timings: result.timings, wallMs, truncatedWords: result.truncatedWords,
            },
          });
          const entry: GalleryEntry = {
            id: `${Date.now()}-${result.settings.seed}`, createdAt: Date.now(), settings: result.settings,
            modelName: getState().model?.name ?? 'unknown', backend: getState().backend?.ep ?? 'wasm',
            width: result.width, height: result.height, png,
          };
          await saveToGallery(entry);
          setState((s) => ({ gallery: [entry, ...s.gallery] }));
        } catch (error) {
          const e = StudioError.from(error, 'worker');
          if (e.code !== 'cancelled') setState({ error: describeError(e) });
        } finally {
          cancelCurrent = null;
          setState({ running: false, progress: null });
        }
      },

      cancel: () => cancelCurrent?.(),

      loadGallery: async () => {
        try {
          setState({ gallery: await listGallery() });
        } catch (error) {
          setState({ error: describeError(StudioError.from(error, 'gallery', 'The gallery could not be read; reload the page.')) });
        }
      },

      deleteGalleryEntry: async (id) => {
        await deleteFromGallery(id);
        setState((s) => ({ gallery: s.gallery.filter((e) => e.id !== id) }));
      },
    }),
    {
      name: 'studio-settings',
      version: 1,
      // Only settings persist here; images live in IndexedDB (storage/gallery.ts).
      partialize: (s) => ({ settings: s.settings, backendPreference: s.backendPreference }),
    },
  ),
);
