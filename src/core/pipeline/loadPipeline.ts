// Builds every session a generation needs (text encoder, UNet, VAE decoder, sampler graphs) and the tokenizer.
import { StudioError } from '../../shared/errors';
import type { ComponentName, ModelManifest, ModelVariant, TimestepSpacing } from '../../shared/manifest';
import { SD_IO } from '../../shared/modelContract';
import type { LoadProgress } from '../../shared/protocol';
import { UnpatchableGraphError } from '../onnx/findAttention';
import { patchDenoiser, type PatchReport } from '../onnx/patchDenoiser';
import type { ExternalDataFile, ModelBytes, ModelSession, OrtRuntime } from '../ort/runtime';
import { BatchedRunner } from './batchedRun';
import type { PromptConditioning } from './conditioning';
import { ConditioningCache } from './conditioningCache';
import { readJson, type ModelFileReader } from './modelFiles';
import { resolveTimestepSpacing } from './schedulerConfig';
import { staticBatchOf } from './staticBatch';
import { PromptTokenizer } from './tokenizer';
import type { DenoiserSession } from './unmaskedUnet';

export interface LoadedPipeline {
  manifest: ModelManifest;
  variant: ModelVariant;
  runtime: OrtRuntime;
  tokenizer: PromptTokenizer;
  textEncoder: ModelSession;
  unet: ModelSession;
  vaeDecoder: ModelSession;
  /** CFG + scheduler update graph (public/graphs/step.onnx): keeps latents on the GPU between steps. */
  samplerStep: ModelSession;
  /** Multiplies latents by 1/scalingFactor before the VAE (public/graphs/scale.onnx). */
  latentScale: ModelSession;
  /** Runs the text encoder and the UNet on any number of rows, whatever their fixed batch and dtypes. */
  textEncoderRunner: BatchedRunner;
  unetRunner: BatchedRunner;
  vaeRunner: BatchedRunner;
  /** The UNet's fixed batch (manifest io.staticBatch, the graph, or a pinned free dim); null: any batch. */
  unetStaticBatch: number | null;
  /** From the manifest or its shipped scheduler_config.json; undefined: each sampler's default. */
  timestepSpacing?: TimestepSpacing;
  /** What the attention patcher did to the UNet, or why it could not (then the UNet runs unpatched). */
  patchReport?: PatchReport;
  patchError?: string;
  /** The UNet's size: the graph opened and any external data it reads (its weights). */
  unetBytes: number;
  /** The UNet unpatched, for generations without attention control; opened after the load (unmaskedUnet.ts). */
  unmaskedUnet: DenoiserSession | null;
  /** The last prompt's conditioning, for the next generation of the same prompt (leasePromptConditioning). */
  conditioningCache: ConditioningCache<PromptConditioning>;
}

/**
 * The denoiser as the model store holds it: patched at install time (the report kept), or refused by the
 * patcher at install time (its reason kept, MaskDiffusion unavailable), or the built-in model's UNet patched when
 * the app was built (worker/servedDenoiserPatch.ts). Without it the UNet is patched at load.
 */
export type StoredDenoiserPatch = { state: 'patched'; report: PatchReport } | { state: 'unpatchable'; reason: string };

export interface LoadPipelineArgs {
  runtime: OrtRuntime;
  manifest: ModelManifest;
  variant: ModelVariant;
  modelFiles: ModelFileReader;
  graphFiles: ModelFileReader;
  onProgress?: (p: LoadProgress) => void;
  denoiserPatch?: StoredDenoiserPatch;
  /** Weights files beside a component's graph (model.onnx_data); none by default. */
  externalData?: (component: ComponentName) => Promise<ExternalDataFile[]>;
  /** Checked before each session is created: an aborted load stops there and throws the signal's reason. */
  signal?: AbortSignal;
}

export async function loadPipeline(args: LoadPipelineArgs): Promise<LoadedPipeline> {
  // A load that fails or is aborted releases every session it made: a GPU session holds its weights until released.
  const created: ModelSession[] = [];
  try {
    return await loadSessions(args, created);
  } catch (error) {
    await Promise.all(created.map((session) => session.release().catch(() => undefined)));
    throw error;
  }
}

async function loadSessions(args: LoadPipelineArgs, created: ModelSession[]): Promise<LoadedPipeline> {
  const { manifest, variant, modelFiles, graphFiles, onProgress, signal } = args;
  const runtime: Pick<OrtRuntime, 'createSession'> = {
    createSession: async (...session) => {
      if (signal?.aborted && !(session[1] instanceof Uint8Array)) session[1].free(); // heap bytes ORT will not take
      signal?.throwIfAborted();
      const opened = await args.runtime.createSession(...session);
      created.push(opened);
      return opened;
    },
  };
  const external = async (component: ComponentName) => (args.externalData ? await args.externalData(component) : []);
  const total = 6;
  let loaded = 0;
  const step = (label: string) => onProgress?.({ loaded: ++loaded, total, label });

  const read = async (reader: ModelFileReader, path: string) => {
    try {
      return await reader.read(path);
    } catch (error) {
      throw readError(reader, path, error);
    }
  };
  // A graph ORT opens as stored goes straight into ORT's heap where the reader can (OrtRuntime.modelBytes).
  const readGraph = async (reader: ModelFileReader, path: string) => {
    if (!reader.readInto) return read(reader, path);
    try {
      return await reader.readInto(path, (size) => args.runtime.modelBytes(size));
    } catch (error) {
      throw readError(reader, path, error);
    }
  };
  // The helper graphs first: their sessions load ORT's WebAssembly, so the model's own graphs (read next) can go
  // straight into its heap (readGraph). While the first one loads it (about 0.2 s here), the tokenizer is made.
  const samplerStepOpening = runtime.createSession('sampler step', await read(graphFiles, 'step.onnx'), {
    stage: 'denoise',
    outputsOnGpu: true,
  });
  samplerStepOpening.catch(() => undefined); // its failure is thrown where it is awaited, below
  const tokDir = manifest.tokenizer.dir;
  let tokenizer: PromptTokenizer;
  try {
    tokenizer = await PromptTokenizer.create(
      await readJson(modelFiles, `${tokDir}/tokenizer.json`),
      await readJson(modelFiles, `${tokDir}/tokenizer_config.json`),
      manifest.text.maxLength,
      manifest.tokenizer.padTokenId,
    );
  } catch (error) {
    await samplerStepOpening.catch(() => undefined); // settled first, so the failed load releases the session
    throw error;
  }
  step('tokenizer');
  const samplerStep = await samplerStepOpening;
  step('sampler step');
  const timestepSpacing = await resolveTimestepSpacing(manifest, modelFiles);
  // Sessions are created one after another: creating them in parallel doubles peak memory.
  const latentScale = await runtime.createSession('latent scale', await read(graphFiles, 'scale.onnx'), {
    stage: 'vae',
    outputsOnGpu: true,
  });
  step('latent scale');
  const sessionOptions = variant.sessionOptions ?? {};
  // External data is read before its graph: nothing may fail between a graph's read into ORT's heap and its session.
  const textEncoderData = await external('textEncoder');
  const textEncoder = await runtime.createSession('text encoder', await readGraph(modelFiles, variant.files.textEncoder), {
    stage: 'text-encoder',
    outputsOnGpu: true,
    externalData: textEncoderData,
    sessionOptions: sessionOptions.textEncoder,
  });
  step('text encoder');
  const unetData = await external('unet');
  const openUnet = (bytes: Uint8Array | ModelBytes) =>
    runtime.createSession('UNet', bytes, {
      stage: 'denoise',
      outputsOnGpu: true,
      externalData: unetData,
      sessionOptions: sessionOptions.unet,
    });
  let unet: ModelSession;
  let patchReport: PatchReport | undefined;
  let patchError: string | undefined;
  let unetGraphBytes: number;
  if (args.denoiserPatch) {
    // Patched (or refused) at install: the graph opens as stored.
    ({ report: patchReport, error: patchError } = storedPatch(args.denoiserPatch));
    const graph = await readGraph(modelFiles, variant.files.unet);
    unetGraphBytes = graph instanceof Uint8Array ? graph.length : graph.size;
    unet = await openUnet(graph);
  } else {
    const unetFile = await read(modelFiles, variant.files.unet);
    unetGraphBytes = unetFile.length;
    const patched = patchOrKeep(unetFile);
    ({ report: patchReport, error: patchError } = patched);
    try {
      unet = await openUnet(patched.bytes);
    } catch (error) {
      // A graph patched here that does not open: the unpatched one still generates, without attention control.
      if (patched.bytes === unetFile) throw error;
      unet = await openUnet(unetFile);
      patchReport = undefined;
      patchError = `the patched denoiser did not open (${error instanceof Error ? error.message : String(error)}), so it runs unpatched`;
    }
  }
  step('UNet');
  const vaeDecoderData = await external('vaeDecoder');
  const vaeDecoder = await runtime.createSession('VAE decoder', await readGraph(modelFiles, variant.files.vaeDecoder), {
    stage: 'vae',
    outputsOnGpu: false,
    externalData: vaeDecoderData,
    sessionOptions: sessionOptions.vaeDecoder,
  });
  step('VAE decoder');
  const unetStaticBatch = staticBatchOf(unet.input(SD_IO.unet.sample), {
    declared: variant.io?.staticBatch,
    sessionOptions: sessionOptions.unet,
  });
  const textEncoderBatch = staticBatchOf(textEncoder.input(SD_IO.textEncoder.inputIds), { sessionOptions: sessionOptions.textEncoder });
  signal?.throwIfAborted();
  return {
    manifest,
    variant,
    runtime: args.runtime,
    tokenizer,
    textEncoder,
    unet,
    vaeDecoder,
    samplerStep,
    latentScale,
    patchReport,
    patchError,
    unetBytes: unetGraphBytes + unetData.reduce((sum, file) => sum + file.data.length, 0),
    unmaskedUnet: null,
    conditioningCache: new ConditioningCache(args.runtime),
    textEncoderRunner: new BatchedRunner(args.runtime, textEncoder, textEncoderBatch),
    unetRunner: new BatchedRunner(args.runtime, unet, unetStaticBatch),
    vaeRunner: new BatchedRunner(
      args.runtime,
      vaeDecoder,
      staticBatchOf(vaeDecoder.input(SD_IO.vaeDecoder.latents), { sessionOptions: sessionOptions.vaeDecoder }),
    ),
    unetStaticBatch,
    timestepSpacing,
  };
}

/** A file that could not be read, named with where it was read from. */
function readError(reader: ModelFileReader, path: string, error: unknown): StudioError {
  return new StudioError({
    code: 'model-load',
    stage: 'load',
    message: `Could not read ${path} from ${reader.origin}: ${String(error)}`,
    remedy: 'Check that the model is installed, then reload.',
  });
}

/** Patches the denoiser for attention control; a graph the patcher cannot handle runs as it is. */
function patchOrKeep(bytes: Uint8Array): { bytes: Uint8Array; report?: PatchReport; error?: string } {
  try {
    const patched = patchDenoiser(bytes);
    return { bytes: patched.bytes, report: patched.report };
  } catch (error) {
    if (error instanceof UnpatchableGraphError) return { bytes, error: error.message };
    throw error;
  }
}

/** The store patched (or could not patch) the UNet at install time: it is used as stored, patching nothing now. */
function storedPatch(stored: StoredDenoiserPatch): { report?: PatchReport; error?: string } {
  return stored.state === 'patched' ? { report: stored.report } : { error: stored.reason };
}

export async function releasePipeline(p: LoadedPipeline): Promise<void> {
  p.conditioningCache.clear();
  const sessions = [p.textEncoder, p.unet, p.unmaskedUnet?.session, p.vaeDecoder, p.samplerStep, p.latentScale];
  p.unmaskedUnet = null;
  await Promise.all(sessions.map((s) => s?.release()));
}
