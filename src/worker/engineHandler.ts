// Engine request handler: owns the runtime and pipeline; testable without a Worker (takes a post function).
import { StudioError } from '../shared/errors';
import type { ModelManifest } from '../shared/manifest';
import type { EngineRequest, EngineResponse, MaskReport, ModelInfo } from '../shared/protocol';
import type { GenerationSettings } from '../shared/settings';
import { chooseBackend, chooseVariant, probeAdapter } from '../core/ort/backend';
import { OrtRuntime, type RuntimeOptions } from '../core/ort/runtime';
import { gpuReadCount } from '../core/ort/gpuReadCounter';
import { loadPipeline, releasePipeline, type LoadedPipeline } from '../core/pipeline/loadPipeline';
import { readJson, urlFileReader } from '../core/pipeline/modelFiles';
import { generateImage } from '../core/pipeline/textToImage';
import { encodePng, formatA1111Parameters } from '../core/image';

/** MaskDiffusion settings as A1111-style extra fields, so a PNG records how it was steered. */
function maskParameters(masks: MaskReport | null, s: GenerationSettings): Record<string, string> {
  if (!masks || !s.maskDiffusion) return {};
  const boxes = masks.boxes.map((b) => (b ? [b.x0, b.y0, b.x1, b.y1].map((v) => v.toFixed(3)).join(' ') : 'none')).join('; ');
  return { MaskDiffusion: `strength ${s.maskDiffusion.strength}, ${s.maskDiffusion.variant}, masks from ${masks.source}`, 'MaskDiffusion boxes': boxes };
}

export type Post = (message: EngineResponse, transfer?: Transferable[]) => void;

export function createEngineHandler(post: Post, runtimeOptions: Omit<RuntimeOptions, 'ep'>) {
  let pipeline: LoadedPipeline | null = null;
  const running = new Map<number, AbortController>();

  async function init(req: Extract<EngineRequest, { type: 'init' }>): Promise<void> {
    const started = performance.now();
    const choice = chooseBackend(await probeAdapter(), req.preference);
    if (pipeline) await releasePipeline(pipeline);
    pipeline = null;
    const modelFiles = urlFileReader(req.modelBaseUrl);
    const manifest = await readJson<ModelManifest>(modelFiles, 'manifest.json');
    const variant = chooseVariant(manifest, choice, req.variantId);
    const runtime = OrtRuntime.configure({ ...runtimeOptions, ep: choice.ep });
    pipeline = await loadPipeline({
      runtime, manifest, variant, modelFiles,
      graphFiles: urlFileReader(req.graphsBaseUrl),
      onProgress: (p) => post({ type: 'load-progress', id: req.id, ...p }),
    });
    const model: ModelInfo = {
      id: manifest.id, name: manifest.name, description: manifest.description, randomWeights: !!manifest.randomWeights,
      variant: variant.id, width: manifest.resolution.width, height: manifest.resolution.height, defaults: manifest.defaults,
      attentionControl: pipeline.patchReport
        ? { available: true, selfMasking: pipeline.patchReport.selfLayersMasked > 0 }
        : { available: false, reason: pipeline.patchError, selfMasking: false },
    };
    post({
      type: 'ready', id: req.id, model, loadMs: performance.now() - started,
      backend: { ep: choice.ep, reason: choice.reason, shaderF16: choice.shaderF16, adapterFeatures: choice.adapter.features },
    });
  }

  async function generate(req: Extract<EngineRequest, { type: 'generate' }>): Promise<void> {
    if (!pipeline) throw new StudioError({ code: 'model-load', stage: 'load', message: 'No model is loaded yet.', remedy: 'Wait for the model to finish loading.' });
    const controller = new AbortController();
    running.set(req.id, controller);
    const runtime = pipeline.runtime;
    runtime.resetStats();
    let readsAtStart = 0;
    let readsAtLoopStart = 0;
    let readsAtLoopEnd: number | null = null;
    const readsAfterStep: number[] = [];
    try {
      const image = await generateImage(pipeline, req.settings, {
        signal: controller.signal,
        onProgress: (p) => {
          // The GPU map counter brackets the denoising loop (step 0 is reported just before the first step).
          if (p.phase === 'encode') readsAtStart = gpuReadCount();
          if (p.phase === 'denoise' && p.step === 0) readsAtLoopStart = gpuReadCount();
          if (p.phase === 'denoise' && p.step > 0) readsAfterStep[p.step - 1] = gpuReadCount();
          if (p.phase === 'decode') readsAtLoopEnd = gpuReadCount();
          post({ type: 'progress', id: req.id, ...p });
        },
      });
      const loopReads = readsAtLoopEnd === null ? null : readsAtLoopEnd - readsAtLoopStart;
      const s = image.settings;
      const parameters = formatA1111Parameters({
        prompt: s.prompt, negativePrompt: s.negativePrompt, steps: s.steps, sampler: s.sampler, cfgScale: s.guidance, seed: s.seed,
        width: image.width, height: image.height, model: pipeline.manifest.name,
        extra: { 'Model variant': pipeline.variant.id, Backend: runtime.ep, ...maskParameters(image.masks, s) },
      });
      const png = encodePng(image.rgba, image.width, image.height, { parameters });
      post(
        {
          type: 'result', id: req.id, png, width: image.width, height: image.height, settings: image.settings,
          truncatedWords: image.truncatedWords, timings: image.timings, masks: image.masks,
          stats: {
            ...runtime.stats,
            gpuReadsPerStep: runtime.ep === 'webgpu' && loopReads !== null ? loopReads / req.settings.steps : null,
            gpuReadsBeforeLoop: runtime.ep === 'webgpu' ? readsAtLoopStart - readsAtStart : null,
            gpuReadsByStep: runtime.ep === 'webgpu' ? readsAfterStep.map((r, i) => r - (i === 0 ? readsAtLoopStart : readsAfterStep[i - 1])) : null,
          },
        },
        [png.buffer as ArrayBuffer],
      );
    } finally {
      running.delete(req.id);
    }
  }

  return async function handle(req: EngineRequest): Promise<void> {
    try {
      if (req.type === 'init') await init(req);
      else if (req.type === 'generate') await generate(req);
      else running.get(req.targetId)?.abort();
    } catch (error) {
      post({ type: 'error', id: req.id, error: StudioError.from(error, req.type === 'init' ? 'load' : 'worker').toWire() });
    }
  };
}
