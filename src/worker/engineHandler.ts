// Engine request handler: owns the runtime and pipeline; testable without a Worker (takes a post function).
import { StudioError } from '../shared/errors';
import type { EngineRequest, EngineResponse, MaskReport, ModelInfo } from '../shared/protocol';
import type { GenerationSettings } from '../shared/settings';
import { chooseBackend, chooseVariant, probeAdapter } from '../core/ort/backend';
import { OrtRuntime, type RuntimeOptions } from '../core/ort/runtime';
import { loadPipeline, releasePipeline, type LoadedPipeline } from '../core/pipeline/loadPipeline';
import { urlFileReader } from '../core/pipeline/modelFiles';
import { decodeLatents, generateImage } from '../core/pipeline/textToImage';
import { encodePng, formatA1111Parameters, STUDIO_PARAMETER_KEYS as KEYS } from '../core/image';
import type { ModelStore } from '../storage/modelStore';
import { LoopReadCounter } from './loopReadCounter';
import { loadWithDenoiserFallback, openModelSource, routeHubFilesThroughStore } from './modelSource';
import { StepGate } from './stepGate';
import { previewMap, TeachingRun } from './teachingRun';

export type Post = (message: EngineResponse, transfer?: Transferable[]) => void;

interface RunningGeneration {
  controller: AbortController;
  gate: StepGate | null;
}

/** MaskDiffusion settings as A1111-style extra fields, so a PNG records how it was steered. */
function maskParameters(masks: MaskReport | null, s: GenerationSettings): Record<string, string> {
  if (!masks) return {};
  const boxes = masks.boxes.map((b) => (b ? [b.x0, b.y0, b.x1, b.y1].map((v) => v.toFixed(3)).join(' ') : 'none')).join('; ');
  return { [KEYS.maskDiffusion]: `strength ${s.maskDiffusion.strength}, ${s.maskDiffusion.variant}, masks from ${masks.source}`, [KEYS.maskBoxes]: boxes };
}

/** How emphasis was applied, so PNG Info can restore it (A1111 has no such field). */
function emphasisParameters(s: GenerationSettings): Record<string, string> {
  return s.emphasis ? { [KEYS.emphasisMode]: s.emphasis.mode, [KEYS.promptSyntax]: s.emphasis.syntax } : {};
}

/** `modelStore` opens the installed-models store on first use (IndexedDB in the worker, in memory in tests). */
export function createEngineHandler(post: Post, runtimeOptions: Omit<RuntimeOptions, 'ep'>, modelStore?: () => ModelStore) {
  let pipeline: LoadedPipeline | null = null;
  let teaching: TeachingRun | null = null;
  const running = new Map<number, RunningGeneration>();

  const loaded = (): LoadedPipeline => {
    if (!pipeline) throw new StudioError({ code: 'model-load', stage: 'load', message: 'No model is loaded yet.', remedy: 'Wait for the model to finish loading.' });
    return pipeline;
  };

  async function init(req: Extract<EngineRequest, { type: 'init' }>): Promise<void> {
    const started = performance.now();
    const choice = chooseBackend(await probeAdapter(), req.preference);
    if (pipeline) await releasePipeline(pipeline);
    pipeline = null;
    const store = () => {
      if (!modelStore) throw new StudioError({ code: 'storage', stage: 'load', message: 'This engine has no model store.', remedy: 'Use the built-in model.' });
      return modelStore();
    };
    if (req.hubHosts && modelStore) routeHubFilesThroughStore(modelStore(), req.hubHosts);
    const source = await openModelSource(req.model, store);
    const { manifest } = source;
    const variant = chooseVariant(manifest, choice, req.variantId);
    const runtime = OrtRuntime.configure({ ...runtimeOptions, ep: choice.ep });
    pipeline = await loadWithDenoiserFallback(source, variant, async (opened) => loadPipeline({
      runtime, manifest, variant, modelFiles: opened.modelFiles,
      graphFiles: urlFileReader(req.graphsBaseUrl),
      onProgress: (p) => post({ type: 'load-progress', id: req.id, ...p }),
      denoiserPatch: await opened.denoiserPatch(variant),
      externalData: (component) => opened.externalData(variant, component),
    }));
    const model: ModelInfo = {
      id: manifest.id, name: manifest.name, description: manifest.description, randomWeights: !!manifest.randomWeights,
      variant: variant.id, width: manifest.resolution.width, height: manifest.resolution.height, defaults: manifest.defaults,
      attentionControl: pipeline.patchReport
        ? { available: true, selfMasking: pipeline.patchReport.selfLayersMasked > 0 }
        : { available: false, reason: pipeline.patchError, selfMasking: false },
    };
    post({
      type: 'ready', id: req.id, model, loadMs: performance.now() - started,
      backend: { ep: choice.ep, reason: choice.reason, shaderF16: choice.shaderF16, adapterFeatures: choice.adapter.features, adapterLimits: choice.adapter.limits },
    });
  }

  async function generate(req: Extract<EngineRequest, { type: 'generate' }>): Promise<void> {
    const p = loaded();
    const controller = new AbortController();
    const gate = req.teaching ? new StepGate(req.teaching.startPaused, (beforeStep) => post({ type: 'paused', id: req.id, beforeStep })) : null;
    running.set(req.id, { controller, gate });
    const { manifest, runtime } = p;
    const latentW = manifest.resolution.width / manifest.latent.downsample;
    const latentH = manifest.resolution.height / manifest.latent.downsample;
    teaching = req.teaching?.snapshots ? new TeachingRun(req.id, previewMap(manifest), latentW, latentH) : teaching;
    const snapshotRun = req.teaching?.snapshots ? teaching : null;
    runtime.resetStats();
    const reads = new LoopReadCounter();
    const heatmaps: { steps: Float32Array[]; shape: { tokens: number; width: number; height: number } | null } = { steps: [], shape: null };
    try {
      const image = await generateImage(p, req.settings, {
        signal: controller.signal,
        onProgress: (progress) => {
          reads.observe(progress);
          post({ type: 'progress', id: req.id, ...progress });
        },
        beforeStep: gate ? (index) => gate.wait(index, controller.signal) : undefined,
        onStepSnapshot: snapshotRun ? (s) => post({ type: 'snapshot', id: req.id, view: snapshotRun.view(s) }) : undefined,
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
        prompt: s.prompt, negativePrompt: s.negativePrompt, steps: s.steps, sampler: s.sampler, cfgScale: s.guidance, seed: s.seed,
        width: image.width, height: image.height, model: manifest.name,
        extra: { [KEYS.variant]: p.variant.id, [KEYS.backend]: runtime.ep, ...maskParameters(image.masks, s), ...emphasisParameters(s) },
      });
      const png = encodePng(image.rgba, image.width, image.height, { parameters });
      post(
        {
          type: 'result', id: req.id, png, width: image.width, height: image.height, settings: image.settings,
          truncatedWords: image.truncatedWords, timings: image.timings, masks: image.masks, promptWarnings: image.promptWarnings, attention,
          stats: reads.stats(runtime.stats, runtime.ep === 'webgpu', req.settings.steps),
        },
        [png.buffer as ArrayBuffer, ...heatmaps.steps.map((m) => m.buffer as ArrayBuffer)],
      );
    } finally {
      running.delete(req.id);
    }
  }

  async function decodeStep(req: Extract<EngineRequest, { type: 'decode-step' }>): Promise<void> {
    const latent = teaching?.generationId === req.targetId ? teaching.x0ByStep[req.stepIndex] : undefined;
    if (!latent) throw new StudioError({ code: 'invalid-settings', stage: 'vae', message: `Step ${req.stepIndex + 1} of that run is no longer kept.`, remedy: 'Run the step-by-step generation again.' });
    const image = await decodeLatents(loaded(), latent);
    const png = encodePng(image.rgba, image.width, image.height);
    post({ type: 'decoded', id: req.id, png }, [png.buffer as ArrayBuffer]);
  }

  function control(req: Extract<EngineRequest, { type: 'cancel' | 'pause' | 'resume' | 'step' }>): void {
    const run = running.get(req.targetId);
    if (!run) return;
    if (req.type === 'cancel') {
      run.controller.abort();
      run.gate?.release();
    } else if (req.type === 'pause') run.gate?.pause();
    else if (req.type === 'resume') run.gate?.resume();
    else run.gate?.step();
  }

  return async function handle(req: EngineRequest): Promise<void> {
    try {
      if (req.type === 'init') await init(req);
      else if (req.type === 'generate') await generate(req);
      else if (req.type === 'decode-step') await decodeStep(req);
      else control(req);
    } catch (error) {
      post({ type: 'error', id: req.id, error: StudioError.from(error, req.type === 'init' ? 'load' : 'worker').toWire() });
    }
  };
}
