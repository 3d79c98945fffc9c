// Engine request handlers: own the runtime and pipeline; testable without a Worker (served by shared/rpc.ts in the worker).
import { StudioError } from '../shared/errors';
import type { EngineApi, EngineReady, GenerationResult, LoadProgress, LoadRequest, MaskReport, ModelInfo } from '../shared/protocol';
import type { GenerationSettings, MaskState } from '../shared/settings';
import { withTransfer, type Handlers } from '../shared/rpc';
import { chooseBackend, chooseVariant, probeAdapter } from '../core/ort/backend';
import { OrtRuntime, type RuntimeOptions } from '../core/ort/runtime';
import { loadPipeline, releasePipeline, type LoadedPipeline } from '../core/pipeline/loadPipeline';
import { urlFileReader } from '../core/pipeline/modelFiles';
import { decodeLatents, generateImage, type GenerationProgress } from '../core/pipeline/textToImage';
import { runIdleWork, shouldWarmUp, type IdleWork } from '../core/pipeline/warmUp';
import { encodePngNative, formatA1111Parameters, STUDIO_PARAMETER_KEYS as KEYS } from '../core/image';
import type { ModelStore } from '../storage/modelStore';
import { LoopReadCounter } from './loopReadCounter';
import { coalescedReports } from './progressReports';
import { loadWithDenoiserFallback, openModelSource, routeHubFilesThroughStore } from './modelSource';
import { StepGate } from './stepGate';
import { previewMap, TeachingRun } from './teachingRun';

/** MaskDiffusion settings as A1111-style extra fields, so a PNG records how it was steered. */
function maskParameters(masks: MaskReport | null, s: GenerationSettings): Record<string, string> {
  if (!masks) return {};
  const boxes = masks.boxes.map((b) => (b ? [b.x0, b.y0, b.x1, b.y1].map((v) => v.toFixed(3)).join(' ') : 'none')).join('; ');
  return {
    [KEYS.maskDiffusion]: `strength ${s.maskDiffusion.strength}, ${s.maskDiffusion.variant}, masks from ${masks.source}`,
    [KEYS.maskBoxes]: boxes,
  };
}

/** How emphasis was applied, so PNG Info can restore it (A1111 has no such field). */
function emphasisParameters(s: GenerationSettings): Record<string, string> {
  return s.emphasis ? { [KEYS.emphasisMode]: s.emphasis.mode, [KEYS.promptSyntax]: s.emphasis.syntax } : {};
}

export interface EngineDeps {
  runtimeOptions: Omit<RuntimeOptions, 'ep'>;
  /** Opens the installed-models store on first use (IndexedDB in the worker, in memory in tests). */
  modelStore?: () => ModelStore;
  /** Makes the runtime a load creates its sessions on (tests wrap it to count sessions). */
  configureRuntime?: (options: RuntimeOptions) => OrtRuntime;
}

const superseded = () =>
  new StudioError({ code: 'cancelled', stage: 'load', message: 'This model load was replaced by a newer one.', remedy: '' });

export function createEngineHandlers({
  runtimeOptions,
  modelStore,
  configureRuntime = OrtRuntime.configure,
}: EngineDeps): Handlers<EngineApi> {
  let pipeline: LoadedPipeline | null = null;
  let teaching: TeachingRun | null = null;
  /** The load in progress: a newer load aborts it and starts once it has released what it created. */
  let loading: { controller: AbortController; settled: Promise<unknown> } | null = null;
  /** The loaded model's background work (warm-up, its unmasked twin: warmUp.ts), until it ends or something needs the sessions. */
  let idleWork: { controller: AbortController; done: Promise<unknown> } | null = null;
  /** Idle work a generation stopped before it was done, to take up again when the generation ends. */
  let pendingIdleWork: IdleWork | null = null;
  const startIdleWork = (p: LoadedPipeline, work: IdleWork) => {
    const controller = new AbortController();
    const done = runIdleWork(p, work, controller.signal).then((outcome) => {
      // Only the twin is taken up again: the generation that stopped the warm-up has warmed what it ran.
      if (outcome === 'twin-pending' && pipeline === p) pendingIdleWork = { ...work, warmFirst: false };
    });
    idleWork = { controller, done };
  };
  /** Stops the idle work between model calls and waits for the call in flight, so nothing else shares the sessions. */
  const stopIdleWork = async () => {
    const current = idleWork;
    idleWork = null;
    current?.controller.abort();
    await current?.done;
  };
  /** After a generation: resumes idle work it stopped, if the model it ran for is still the one loaded. */
  const resumeIdleWork = () => {
    const work = pendingIdleWork;
    pendingIdleWork = null;
    if (work && pipeline && !idleWork && !loading) startIdleWork(pipeline, work);
  };

  const loaded = (): LoadedPipeline => {
    if (!pipeline)
      throw new StudioError({
        code: 'model-load',
        stage: 'load',
        message: 'No model is loaded yet.',
        remedy: 'Wait for the model to finish loading.',
      });
    return pipeline;
  };

  async function loadModel(req: LoadRequest, signal: AbortSignal, progress: (p: LoadProgress) => void): Promise<EngineReady> {
    const started = performance.now();
    signal.throwIfAborted();
    const choice = chooseBackend(await probeAdapter(), req.preference);
    await stopIdleWork();
    pendingIdleWork = null;
    if (pipeline) await releasePipeline(pipeline);
    pipeline = null;
    const store = () => {
      if (!modelStore)
        throw new StudioError({
          code: 'storage',
          stage: 'load',
          message: 'This engine has no model store.',
          remedy: 'Use the built-in model.',
        });
      return modelStore();
    };
    const source = await openModelSource(req.model, store);
    const { manifest } = source;
    const variant = chooseVariant(manifest, choice, req.variantId);
    const runtime = configureRuntime({ ...runtimeOptions, ep: choice.ep });
    const opened = await loadWithDenoiserFallback(source, variant, async (files) =>
      loadPipeline({
        runtime,
        manifest,
        variant,
        modelFiles: files.modelFiles,
        signal,
        graphFiles: urlFileReader(req.graphsBaseUrl),
        onProgress: progress,
        denoiserPatch: await files.denoiserPatch(variant),
        externalData: (component) => files.externalData(variant, component),
      }),
    );
    pipeline = opened;
    // Nothing in this worker reads from the hub while it loads; routed once loaded, when the tokenizer has brought
    // transformers.js in, so its import does not hold up the start of the load.
    if (req.hubHosts && modelStore) await routeHubFilesThroughStore(modelStore(), req.hubHosts);
    const loadMs = performance.now() - started;
    const readUnpatchedUnet = source.readUnpatchedUnet && (() => source.readUnpatchedUnet!(variant));
    const warm = shouldWarmUp(runtime.ep, manifest);
    startIdleWork(opened, { warmFirst: warm, warmTwin: warm, readUnpatchedUnet });
    const model: ModelInfo = {
      id: manifest.id,
      name: manifest.name,
      description: manifest.description,
      randomWeights: !!manifest.randomWeights,
      examplePrompts: manifest.examplePrompts ?? [],
      variant: variant.id,
      width: manifest.resolution.width,
      height: manifest.resolution.height,
      defaults: manifest.defaults,
      attentionControl: opened.patchReport
        ? { available: true, selfMasking: opened.patchReport.selfLayers.length > 0 }
        : { available: false, reason: opened.patchError, selfMasking: false },
      loaded: { ms: Math.round(loadMs), graphsInOrtHeap: runtime.graphsOpenedInOrtHeap },
    };
    return {
      model,
      loadMs,
      backend: {
        ep: choice.ep,
        reason: choice.reason,
        shaderF16: choice.shaderF16,
        adapterFeatures: choice.adapter.features,
        adapterLimits: choice.adapter.limits,
      },
    };
  }

  const generateOnce: Handlers<EngineApi>['generate'] = async (req, { id, signal, progress, onControl }) => {
    const p = loaded();
    const gate = req.teaching ? new StepGate(req.teaching.startPaused, (beforeStep) => progress({ type: 'paused', beforeStep })) : null;
    onControl((control) => (control === 'pause' ? gate?.pause() : control === 'resume' ? gate?.resume() : gate?.step()));
    signal.addEventListener('abort', () => gate?.release(), { once: true }); // a paused run wakes to see the abort
    const { manifest, runtime } = p;
    const latentW = manifest.resolution.width / manifest.latent.downsample;
    const latentH = manifest.resolution.height / manifest.latent.downsample;
    teaching = req.teaching?.snapshots ? new TeachingRun(id, previewMap(manifest), latentW, latentH) : teaching;
    const snapshotRun = req.teaching?.snapshots ? teaching : null;
    await stopIdleWork(); // what it had not warmed, this run warms
    runtime.resetStats();
    const reads = new LoopReadCounter();
    const heatmaps: { steps: Float32Array[]; shape: { tokens: number; width: number; height: number } | null } = {
      steps: [],
      shape: null,
    };
    // Every step's masks go back with the image; the page hears coalesced progress (progressReports.ts), except in
    // step-by-step runs, where each step is shown as it ends.
    const maskTimeline: (MaskState | null)[] = [];
    const post = (step: GenerationProgress) =>
      progress({ type: 'progress', phase: step.phase, step: step.step, totalSteps: step.totalSteps });
    const report = req.teaching ? post : coalescedReports(post);
    const image = await generateImage(p, req.settings, {
      signal,
      onProgress: (step) => {
        reads.observe(step);
        if (step.phase === 'denoise' && step.step > 0) maskTimeline[step.step - 1] = step.masks ?? null;
        report(step);
      },
      beforeStep: gate ? (index) => gate.wait(index, signal) : undefined,
      onStepSnapshot: snapshotRun ? (s) => progress({ type: 'snapshot', view: snapshotRun.view(s) }) : undefined,
      onAttentionMaps: req.heatmaps
        ? (index, maps) => {
            heatmaps.steps[index] = maps.data;
            heatmaps.shape = { tokens: maps.tokens, width: maps.width, height: maps.height };
          }
        : undefined,
    });
    const attention = heatmaps.shape ? { ...heatmaps.shape, perStep: heatmaps.steps, words: image.words } : null;
    const s = image.settings;
    const parameters = formatA1111Parameters({
      prompt: s.prompt,
      negativePrompt: s.negativePrompt,
      steps: s.steps,
      sampler: s.sampler,
      cfgScale: s.guidance,
      seed: s.seed,
      width: image.width,
      height: image.height,
      model: manifest.name,
      extra: { [KEYS.variant]: p.variant.id, [KEYS.backend]: runtime.ep, ...maskParameters(image.masks, s), ...emphasisParameters(s) },
    });
    // The page shows these pixels while the PNG (what is kept and downloaded) is encoded. A copy is sent: the
    // encoder still reads the image's own pixels.
    const shown = image.rgba.slice();
    progress({ type: 'pixels', pixels: { rgba: shown, width: image.width, height: image.height } }, [shown.buffer]);
    const encodeStarted = performance.now();
    const png = await encodePngNative(image.rgba, image.width, image.height, { parameters });
    const pngMs = performance.now() - encodeStarted;
    const result: GenerationResult = {
      png,
      width: image.width,
      height: image.height,
      settings: image.settings,
      truncatedWords: image.truncatedWords,
      timings: { ...image.timings, pngMs },
      masks: image.masks,
      maskTimeline,
      promptWarnings: image.promptWarnings,
      attention,
      stats: reads.stats(runtime.stats, runtime.ep === 'webgpu', req.settings.steps, image.denoiser),
    };
    return withTransfer(result, [png.buffer as ArrayBuffer, ...heatmaps.steps.map((m) => m.buffer as ArrayBuffer)]);
  };

  return {
    // Loads run one at a time and the latest wins: two at once would each create a full set of sessions.
    async load(req, { signal, progress }) {
      const previous = loading;
      previous?.controller.abort(superseded());
      const controller = new AbortController();
      signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
      const run = (async () => {
        await previous?.settled;
        return loadModel(req, controller.signal, progress);
      })();
      const mine = { controller, settled: run.catch(() => undefined) };
      loading = mine;
      try {
        return await run;
      } finally {
        if (loading === mine) loading = null;
      }
    },

    async generate(req, context) {
      try {
        return await generateOnce(req, context);
      } finally {
        resumeIdleWork();
      }
    },

    async decodeStep({ generationId, stepIndex }) {
      const latent = teaching?.generationId === generationId ? teaching.x0ByStep[stepIndex] : undefined;
      if (!latent)
        throw new StudioError({
          code: 'invalid-settings',
          stage: 'vae',
          message: `Step ${stepIndex + 1} of that run is no longer kept.`,
          remedy: 'Run the step-by-step generation again.',
        });
      const image = await decodeLatents(loaded(), latent);
      const png = await encodePngNative(image.rgba, image.width, image.height);
      return withTransfer(png, [png.buffer as ArrayBuffer]);
    },
  };
}

/** Errors cross as the project's typed error; a load's failures belong to the load stage. */
export const engineError = (error: unknown, method: keyof EngineApi): StudioError =>
  StudioError.from(error, method === 'load' ? 'load' : 'worker');
