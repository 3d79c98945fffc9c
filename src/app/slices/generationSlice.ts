// Running generations: progress, the current image, same-seed comparisons, cancel and errors.
import { describeError, StudioError } from '../../shared/errors';
import type { GenerationResult } from '../../shared/protocol';
import type { GenerationSettings } from '../../shared/settings';
import type { GalleryEntry } from '../../storage/gallery';
import type { CurrentImage, GenerationSlice, GetState, SetState, SliceContext } from './types';

/**
 * The engine's result as the studio's current image. Spreading the result keeps whatever the engine reports
 * (the image's own warnings, masks, attention) under the names CurrentImage shares with it.
 */
export function currentFromResult(result: GenerationResult, wallMs: number): CurrentImage {
  const { png: bytes, ...reported } = result;
  const png = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' });
  return { ...reported, png, url: URL.createObjectURL(png), wallMs };
}

type ShownProgress = NonNullable<GenerationSlice['progress']>;

function sameProgress(shown: ShownProgress | null, report: ShownProgress): boolean {
  return shown !== null && shown.phase === report.phase && shown.step === report.step && shown.totalSteps === report.totalSteps;
}

/** Runs one generation and returns its image (null when cancelled); errors land in the store. `onDenoiseStep` hears how many steps are done, as often as the worker reports (not every step on a fast model). */
export async function runOnce(
  { services, jobs }: SliceContext,
  set: SetState,
  settings: GenerationSettings,
  teaching: boolean,
  heatmaps: boolean,
  onDenoiseStep?: (step: number) => void,
): Promise<CurrentImage | null> {
  set({ progress: { phase: 'encode', step: 0, totalSteps: settings.steps } });
  const requested = performance.now();
  let pixelsAt: number | null = null;
  const job = services.engine.generate(
    settings,
    (p) => {
      if (p.type === 'pixels') {
        pixelsAt = performance.now();
        set({ arrivedPixels: { pixels: p.pixels, url: null } });
      } else if (p.type === 'paused') set({ pausedBeforeStep: p.beforeStep });
      else if (p.type === 'snapshot') set((s) => ({ timeline: [...s.timeline, p.view], selectedStep: p.view.index }));
      else if (p.type === 'progress') {
        // A report that changes nothing shown (the engine's first one repeats what was set above) re-renders nothing.
        set((s) =>
          s.pausedBeforeStep === null && sameProgress(s.progress, p)
            ? s
            : { progress: { phase: p.phase, step: p.step, totalSteps: p.totalSteps }, pausedBeforeStep: null },
        );
        // Decoding starts when every step is done: it counts the steps whose reports were coalesced away.
        if ((p.phase === 'denoise' && p.step > 0) || p.phase === 'decode') onDenoiseStep?.(p.step);
      }
    },
    teaching ? { startPaused: true, snapshots: true } : undefined,
    heatmaps,
  );
  jobs.generation = job;
  if (teaching) set({ timeline: [], selectedStep: null, decoded: null, timelineRunId: job.id });
  try {
    const result = await job.done;
    const image = currentFromResult(result, (pixelsAt ?? performance.now()) - requested);
    // The pixels on show stay until the img has drawn this image's PNG (pngDrawn), so nothing flickers between them.
    set((s) => (s.arrivedPixels && s.arrivedPixels.url === null ? { arrivedPixels: { ...s.arrivedPixels, url: image.url } } : {}));
    return image;
  } catch (error) {
    set({ arrivedPixels: null });
    const e = StudioError.from(error, 'worker');
    if (e.code !== 'cancelled') set({ error: describeError(e) });
    return null;
  } finally {
    jobs.generation = null;
    set({ pausedBeforeStep: null });
  }
}

export async function keepInGallery(ctx: SliceContext, set: SetState, get: GetState, image: CurrentImage): Promise<void> {
  const entry: GalleryEntry = {
    id: `${Date.now()}-${image.settings.seed}-${Math.random().toString(36).slice(2, 6)}`,
    createdAt: Date.now(),
    settings: image.settings,
    modelName: get().model?.name ?? 'unknown',
    backend: get().backend?.ep ?? 'wasm',
    width: image.width,
    height: image.height,
    png: image.png,
  };
  try {
    await ctx.services.gallery.save(entry);
    set((s) => ({ gallery: [entry, ...s.gallery] }));
  } catch (error) {
    set({ error: describeError(StudioError.from(error, 'gallery')) });
  }
}

export function showImage(set: SetState, get: GetState, image: CurrentImage): void {
  const previous = get().current;
  const comparison = get().comparison;
  const inUse = comparison && (previous === comparison.a || previous === comparison.b);
  if (previous && !inUse) URL.revokeObjectURL(previous.url);
  // Pixels of an image not shown after all would otherwise stay over this one.
  set((s) => ({ current: image, arrivedPixels: s.arrivedPixels?.url === image.url ? s.arrivedPixels : null }));
}

export function createGenerationSlice(set: SetState, get: GetState, ctx: SliceContext): GenerationSlice {
  const ready = () => get().engineStatus === 'ready' && !get().running;
  return {
    rerunAndCompare: async () => {
      const before = get().current;
      if (!ready() || !before) return;
      set({ running: true, error: null, comparison: null });
      try {
        const after = await runOnce(ctx, set, { ...get().settings, seed: before.settings.seed }, false, get().heatmapsEnabled);
        if (!after) return;
        // The comparison is set first so showing the new image does not revoke the 'before' image's URL.
        set({
          comparison: { a: before, b: after, labelA: `Before · ${before.settings.prompt}`, labelB: `After · ${after.settings.prompt}` },
        });
        showImage(set, get, after);
        await keepInGallery(ctx, set, get, after);
      } finally {
        set({ running: false, progress: null });
      }
    },
    running: false,
    progress: null,
    current: null,
    arrivedPixels: null,
    pngDrawn: (url) => set((s) => (s.arrivedPixels?.url === url ? { arrivedPixels: null } : {})),
    comparison: null,
    error: null,
    dismissError: () => set({ error: null }),
    cancel: () => ctx.jobs.generation?.cancel(),
    closeComparison: () => set({ comparison: null }),

    generate: async () => {
      if (!ready()) return;
      set({ running: true, error: null });
      try {
        const image = await runOnce(ctx, set, get().settings, get().teachingMode, get().heatmapsEnabled);
        if (!image) return;
        showImage(set, get, image);
        await keepInGallery(ctx, set, get, image);
      } finally {
        set({ running: false, progress: null });
      }
    },

    compareMaskDiffusion: async () => {
      if (!ready()) return;
      set({ running: true, error: null, comparison: null });
      try {
        const md = get().settings.maskDiffusion;
        const off = await runOnce(ctx, set, { ...get().settings, maskDiffusion: { ...md, enabled: false } }, false, get().heatmapsEnabled);
        if (!off) return;
        const on = await runOnce(ctx, set, { ...get().settings, maskDiffusion: { ...md, enabled: true } }, false, get().heatmapsEnabled);
        if (!on) return;
        showImage(set, get, on);
        set({ comparison: { a: off, b: on, labelA: 'A · MaskDiffusion off', labelB: 'B · MaskDiffusion on' } });
        await keepInGallery(ctx, set, get, on);
      } finally {
        set({ running: false, progress: null });
      }
    },
  };
}
