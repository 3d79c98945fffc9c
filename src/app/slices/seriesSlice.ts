// Batches and X/Y grids: their cells run one after another on the engine, each image kept in the gallery as it
// finishes; Cancel stops the running image and keeps those already made.
import type { SeriesCell } from '../series/seriesPlan';
import { keepInGallery, runOnce, showImage } from './generationSlice';
import type { CurrentImage, GetState, SetState, SliceContext } from './types';

export interface SeriesRun {
  kind: 'batch' | 'grid';
  cells: SeriesCell[];
  /** One per cell, in order: null until made (or when cancelled or failed). */
  images: (CurrentImage | null)[];
  /** The cell running now (cells.length once finished). */
  index: number;
  startedAt: number;
  /** Denoising steps finished over the whole run, and when the last one finished: the s/step and time-left figures. */
  stepsDone: number;
  lastStepAt: number;
  labels?: { columns: string[]; rows: string[] };
  /** X/Y fields for the grid PNG's metadata. */
  description?: Record<string, string>;
  finished: boolean;
  cancelled: boolean;
}

export interface SeriesSlice {
  series: SeriesRun | null;
  runSeries: (plan: Pick<SeriesRun, 'kind' | 'cells' | 'labels' | 'description'>) => Promise<void>;
  cancelSeries: () => void;
  closeSeries: () => void;
}

/** Total denoising steps of a run's cells. */
export const seriesTotalSteps = (run: Pick<SeriesRun, 'cells'>) => run.cells.reduce((sum, c) => sum + c.settings.steps, 0);

export function createSeriesSlice(set: SetState, get: GetState, ctx: SliceContext): SeriesSlice {
  const patchSeries = (patch: Partial<SeriesRun>) => set((s) => (s.series ? { series: { ...s.series, ...patch } } : {}));
  return {
    series: null,
    closeSeries: () => {
      if (!get().series?.finished) return;
      for (const image of get().series?.images ?? []) if (image) URL.revokeObjectURL(image.url);
      set({ series: null });
    },
    cancelSeries: () => {
      patchSeries({ cancelled: true });
      get().cancel();
    },
    runSeries: async (plan) => {
      if (get().engineStatus !== 'ready' || get().running) return;
      get().closeSeries();
      const now = performance.now();
      set({
        running: true,
        error: null,
        comparison: null,
        series: {
          ...plan,
          images: plan.cells.map(() => null),
          index: 0,
          startedAt: now,
          stepsDone: 0,
          lastStepAt: now,
          finished: false,
          cancelled: false,
        },
      });
      try {
        for (let i = 0; i < plan.cells.length && !get().series?.cancelled; i++) {
          patchSeries({ index: i });
          let counted = 0; // progress events carry the step within this image; the series adds them up
          const image = await runOnce(ctx, set, plan.cells[i].settings, false, get().heatmapsEnabled, (step) => {
            const added = step - counted;
            counted = step;
            if (added > 0)
              set((s) =>
                s.series ? { series: { ...s.series, stepsDone: s.series.stepsDone + added, lastStepAt: performance.now() } } : {},
              );
          });
          if (!image) break; // cancelled, or an error the store now shows
          // The series holds its own URL: the main view revokes the current image's when the next one shows.
          const kept = { ...image, url: URL.createObjectURL(image.png) };
          set((s) => (s.series ? { series: { ...s.series, images: s.series.images.map((img, k) => (k === i ? kept : img)) } } : {}));
          showImage(set, get, image);
          await keepInGallery(ctx, set, get, image);
        }
      } finally {
        patchSeries({ finished: true, index: plan.cells.length });
        set({ running: false, progress: null });
      }
    },
  };
}
