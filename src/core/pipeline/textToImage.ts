// One text-to-image generation: tokens -> text encoder -> guided scheduler loop -> VAE -> image.
// On WebGPU every tensor from the text embeddings to the final latents stays on the GPU: the
// scheduler update runs in a small ONNX graph, so no step reads latents back. With MaskDiffusion,
// the attention maps of the first steps (or of one probe call) are read to place the masks.
import { cancelledError, StudioError } from '../../shared/errors';
import { SCALE_GRAPH, SD_IO } from '../../shared/modelContract';
import type { DenoiserGraph, GenerationPhase, GenerationTimings } from '../../shared/protocol';
import { validateSettings, type GenerationSettings } from '../../shared/settings';
import { checkImageSanity, latentImageToRgba } from '../image';
import { usedTokenCount } from '../maskdiffusion/tokenSpans';
import { PATCHED_INPUTS } from '../onnx/patchContract';
import { createRng } from '../random';
import { adaptPlanToPrediction, makeSamplerPlan } from '../schedulers';
import type { Tensor } from '../ort/runtime';
import { AttentionControl, readConditionalMaps, type ConditionalMaps, type MaskState } from './attentionControl';
import type { LoadedPipeline } from './loadPipeline';
import { timestepTensor } from './modelInputs';
import { stepCoefficients, stepGraphFeeds, stepGraphOutputs } from './stepGraph';
import { makeStepSnapshot, type StepSnapshot } from './stepSnapshot';
import { leasePromptConditioning, type PromptConditioning } from './conditioning';
import { guidanceWeightsFor } from './batchLayout';
import { denoiserFor, type DenoiserSession } from './unmaskedUnet';
import { yieldToEventLoop } from './yieldToEventLoop';

export interface GenerationProgress {
  phase: GenerationPhase;
  step: number;
  totalSteps: number;
  /** MaskDiffusion regions once they exist. */
  masks?: MaskState;
}

export interface GeneratedImage {
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
  settings: GenerationSettings;
  truncatedWords: string[];
  /** Emphasis syntax problems (the prompt still ran, read as the parser recovered it). */
  promptWarnings: string[];
  /** The prompt's words and their token positions in the conditional window (for heatmaps). */
  words: PromptWord[];
  timings: Omit<GenerationTimings, 'pngMs'>;
  /** The objects MaskDiffusion steered and their regions (null when masking was off). */
  masks: (MaskState & { objects: string[] }) | null;
  /** Which UNet graph the steps ran. */
  denoiser: DenoiserGraph;
}

export interface PromptWord {
  text: string;
  tokens: number[];
}

export interface GenerateOptions {
  signal?: AbortSignal;
  onProgress?: (p: GenerationProgress) => void;
  /** Awaited before each denoising step; a paused run waits here with all its state (latents, RNG) intact. */
  beforeStep?: (stepIndex: number) => Promise<void>;
  /** Per-step snapshots for teaching. Each costs two GPU reads (latents, predictions), so only when asked. */
  onStepSnapshot?: (s: StepSnapshot) => void;
  /** Per-step cross-attention maps (conditional entry) for heatmaps: one GPU read per step, only when asked. */
  onAttentionMaps?: (stepIndex: number, maps: ConditionalMaps) => void;
}

/** Classifier-free guidance is off at guidance <= 1 (one batch entry), as in diffusers. */
export function usesGuidance(guidance: number): boolean {
  return guidance > 1;
}

export async function generateImage(p: LoadedPipeline, settings: GenerationSettings, opts: GenerateOptions = {}): Promise<GeneratedImage> {
  validateSettings(settings);
  const started = performance.now();
  const masking = settings.maskDiffusion.enabled;
  const needsPatch = masking ? 'MaskDiffusion' : settings.emphasis.mode === 'attentionGain' ? 'Attention-gain emphasis' : null;
  // Heatmaps are the patched graph's attention maps, so they need it too.
  const unet = denoiserFor(p, !!needsPatch || !!opts.onAttentionMaps);
  if (needsPatch && !unet.session.inputNames.includes(PATCHED_INPUTS.crossMask)) {
    throw new StudioError({
      code: 'invalid-settings',
      stage: 'settings',
      message: `${needsPatch} needs a patched denoiser, and this model's could not be patched (${p.patchError ?? 'unknown reason'}).`,
      remedy: masking ? 'Turn MaskDiffusion off for this model.' : 'Choose an embedding emphasis mode.',
    });
  }
  opts.onProgress?.({ phase: 'encode', step: 0, totalSteps: settings.steps });
  const prompt = await leasePromptConditioning(p, settings, { cfg: usesGuidance(settings.guidance), masking });
  try {
    return await sample(p, settings, opts, unet, prompt.value, started);
  } finally {
    prompt.release();
  }
}

/** The guided sampling loop and the VAE, on a prompt's conditioning. */
async function sample(
  p: LoadedPipeline,
  settings: GenerationSettings,
  opts: GenerateOptions,
  unet: DenoiserSession,
  { prepared, subPrompts, spans, conditioning }: PromptConditioning,
  started: number,
): Promise<GeneratedImage> {
  const { runtime, manifest, tokenizer } = p;
  const checkCancel = (stage: 'text-encoder' | 'denoise' | 'vae') => {
    if (opts.signal?.aborted) throw cancelledError(stage);
  };
  const latentH = manifest.resolution.height / manifest.latent.downsample;
  const latentW = manifest.resolution.width / manifest.latent.downsample;
  const latentDims = [1, manifest.latent.channels, latentH, latentW];
  const latentSize = manifest.latent.channels * latentH * latentW;
  const { layout } = conditioning;
  const batch = layout.rows;
  const textEmbeddings = conditioning.embeddings;
  const guidanceWeightValues = guidanceWeightsFor(layout, settings.guidance);
  const patched = unet.session.inputNames.includes(PATCHED_INPUTS.crossMask);
  const control = patched
    ? new AttentionControl(
        runtime,
        {
          layout,
          tokens: tokenizer.maxLength,
          width: latentW,
          height: latentH,
          usedTokens: usedTokenCount(tokenizer, prepared.plainPrompt, tokenizer.maxLength),
          hasSelfMask: unet.session.inputNames.includes(PATCHED_INPUTS.selfMask),
        },
        settings.maskDiffusion,
        spans,
        manifest.maskDiffusion?.suppression,
      )
    : null;
  if (conditioning.tokenGains) control!.setTokenGains(conditioning.tokenGains);

  const plan = adaptPlanToPrediction(makeSamplerPlan(settings.sampler, settings.steps, p.timestepSpacing), manifest.predictionType);
  const rng = createRng(settings.seed);
  const initial = new Float32Array(latentSize);
  rng.fillNormal(initial);
  for (let i = 0; i < latentSize; i++) initial[i] *= plan.initNoiseSigma;
  const firstInput = new Float32Array(latentSize * batch);
  for (let b = 0; b < batch; b++)
    for (let i = 0; i < latentSize; i++) firstInput[b * latentSize + i] = initial[i] * plan.steps[0].modelInputScale;

  let latents: Tensor = runtime.tensor('float32', initial, latentDims);
  let modelInput: Tensor = runtime.tensor('float32', firstInput, [batch, ...latentDims.slice(1)]);
  const guidanceWeights = runtime.tensor('float32', guidanceWeightValues, [batch]);
  const zeros = runtime.tensor('float32', new Float32Array(latentSize), latentDims);
  let prevX0: Tensor = zeros;
  // A fixed-batch or fp16 UNet is run in calls of its own batch and dtype (unetRunner); outputs come back per row.
  const runDenoiser = (stepIndex: number, timestep: number) =>
    unet.runner.run(
      batch,
      {
        [SD_IO.unet.sample]: modelInput,
        [SD_IO.unet.textEmbeddings]: textEmbeddings,
        ...control?.feeds(stepIndex, plan.steps.length, timestep),
      },
      (callBatch) => ({ [SD_IO.unet.timestep]: timestepTensor(runtime, unet.session, timestep, callBatch) }),
    );
  const denoiseStarted = performance.now();
  try {
    if (control?.needsProbe(plan.steps.length)) {
      // Few-step samplers have no early steps to learn masks from: one probe call at the first timestep.
      const probe = await runDenoiser(0, plan.steps[0].timestep);
      const probeMaps = await readConditionalMaps(runtime, probe, layout);
      if (probeMaps) control.observe(probeMaps, 0, plan.steps.length, 'probe');
      runtime.dispose(...Object.values(probe));
    }
    opts.onProgress?.({
      phase: 'denoise',
      step: 0,
      totalSteps: plan.steps.length,
      masks: control?.active ? { ...control.state } : undefined,
    });
    for (const step of plan.steps) {
      await yieldToEventLoop();
      checkCancel('denoise');
      await opts.beforeStep?.(step.index);
      checkCancel('denoise');
      const unetOut = await runDenoiser(step.index, step.timestep);
      const maskNeedsMaps = !!control?.wantsMaps(step.index, plan.steps.length);
      if (maskNeedsMaps || opts.onAttentionMaps) {
        // One read serves both the mask proposal and the heatmaps.
        const maps = await readConditionalMaps(runtime, unetOut, layout);
        if (maps && maskNeedsMaps) control!.observe(maps, step.index, plan.steps.length);
        if (maps) opts.onAttentionMaps?.(step.index, maps);
      }
      if (opts.onStepSnapshot) {
        const [x, prediction] = await Promise.all([
          runtime.readFloat32(latents),
          runtime.readFloat32(unetOut[unet.session.outputNames[0]]),
        ]);
        opts.onStepSnapshot(makeStepSnapshot(step, x, prediction, layout, guidanceWeightValues));
      }
      const next = plan.steps[step.index + 1];
      let freshNoise = zeros;
      if (step.noiseCoef !== 0) {
        const noise = new Float32Array(latentSize);
        rng.fillNormal(noise);
        freshNoise = runtime.tensor('float32', noise, latentDims);
      }
      const out = stepGraphOutputs(
        await p.samplerStep.run(
          stepGraphFeeds(
            runtime,
            {
              noisePrediction: unetOut[unet.session.outputNames[0]],
              latents,
              freshNoise,
              previousX0: prevX0,
              guidanceWeights,
            },
            stepCoefficients(step, next),
          ),
        ),
      );
      runtime.dispose(...Object.values(unetOut), latents, modelInput, prevX0);
      prevX0 = out.predictedX0;
      latents = out.nextLatents;
      modelInput = out.nextModelInput;
      opts.onProgress?.({
        phase: 'denoise',
        step: step.index + 1,
        totalSteps: plan.steps.length,
        masks: control?.active ? { ...control.state } : undefined,
      });
    }
    const denoiseMs = performance.now() - denoiseStarted;
    await yieldToEventLoop();
    checkCancel('vae');
    opts.onProgress?.({ phase: 'decode', step: plan.steps.length, totalSteps: plan.steps.length });
    const { rgba, width, height } = await decodeLatents(p, latents);
    return {
      rgba,
      width,
      height,
      settings: { ...settings },
      truncatedWords: prepared.truncatedWords,
      promptWarnings: prepared.diagnostics.map((d) => `${d.message} (at character ${d.start + 1})`),
      words: promptWords(settings.prompt, prepared.parts[0].sources),
      timings: { totalMs: performance.now() - started, denoiseMs },
      masks: control?.active ? { ...control.state, objects: subPrompts.map((s) => s.text) } : null,
      denoiser: patched ? 'patched' : 'unpatched',
    };
  } finally {
    // The text embeddings belong to the conditioning cache (leasePromptConditioning).
    runtime.dispose(latents, modelInput, prevX0);
  }
}

/** Groups a window's token positions by the word they came from. */
function promptWords(prompt: string, sources: ({ start: number; end: number; word: number } | null)[]): PromptWord[] {
  const words = new Map<number, PromptWord>();
  sources.forEach((source, position) => {
    if (!source) return;
    const word = words.get(source.word) ?? { text: prompt.slice(source.start, source.end), tokens: [] };
    word.tokens.push(position);
    words.set(source.word, word);
  });
  return [...words.values()];
}

/** Latents (in the sampler's space) -> checked RGBA image, through the latent scale graph and the VAE decoder. */
export async function decodeLatents(
  p: LoadedPipeline,
  latents: Tensor | Float32Array,
): Promise<{ rgba: Uint8ClampedArray; width: number; height: number }> {
  const { runtime, manifest } = p;
  const { width, height } = manifest.resolution;
  const dims = [1, manifest.latent.channels, height / manifest.latent.downsample, width / manifest.latent.downsample];
  const input = latents instanceof Float32Array ? runtime.tensor('float32', latents, dims) : latents;
  const factor = runtime.tensor('float32', new Float32Array([1 / manifest.latent.scalingFactor]), [1]);
  const scaled = (await p.latentScale.run({ [SCALE_GRAPH.inputs.x]: input, [SCALE_GRAPH.inputs.factor]: factor }))[SCALE_GRAPH.outputs.y];
  // fp16 or fixed-batch VAEs (SD 1.5 WebNN's) get their dtype and batch through the runner.
  const decoded = await p.vaeRunner.run(1, { [SD_IO.vaeDecoder.latents]: scaled });
  runtime.dispose(scaled);
  const chw = await runtime.readFloat32(decoded[p.vaeDecoder.outputNames[0]]);
  assertUsableImage(chw, runtime.ep);
  return { rgba: latentImageToRgba(chw, width, height), width, height };
}

function assertUsableImage(chw: Float32Array, ep: 'webgpu' | 'wasm'): void {
  const sanity = checkImageSanity(chw);
  if (sanity.ok) return;
  const what = sanity.reason === 'nan' ? 'NaN values' : sanity.reason === 'all-zero' ? 'all zeros' : 'one flat colour';
  throw new StudioError({
    code: 'bad-output',
    stage: 'vae',
    message: `The model produced an unusable image (${what}); it is not shown.`,
    remedy:
      ep === 'webgpu'
        ? 'Switch the backend to WASM or choose the fp32 variant; fp16 models need a GPU with shader-f16.'
        : 'Try another seed or model variant.',
  });
}
