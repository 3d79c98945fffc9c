// The engine worker's API (request->reply map for shared/rpc.ts) and the types its messages carry.
import type { Method } from './rpc';
import type { BackendPreference, GenerationSettings, MaskState } from './settings';
import type { HubHosts } from './hubHosts';

/** MaskDiffusion's regions for one run, with the objects they belong to. */
export type MaskReport = MaskState & { objects: string[] };

/** Listed in ./settings (a persisted setting); re-exported because the wire's init request carries it. */
export type { BackendPreference };

export interface BackendInfo {
  ep: 'webgpu' | 'wasm';
  reason: string;
  shaderF16: boolean;
  adapterFeatures: string[];
  /** The adapter's buffer limits (bytes), for the variants' manifest `limits`; absent without an adapter. */
  adapterLimits?: { maxBufferSize?: number; maxStorageBufferBindingSize?: number };
}

export interface ModelInfo {
  id: string;
  name: string;
  description: string;
  randomWeights: boolean;
  /** The manifest's examplePrompts ([] when it has none). */
  examplePrompts: string[];
  variant: string;
  width: number;
  height: number;
  defaults: { sampler: GenerationSettings['sampler']; steps: number; guidance: number };
  /** Whether the denoiser was patched for MaskDiffusion, or why not. */
  attentionControl: { available: boolean; reason?: string; selfMasking: boolean };
  /** How the last load went: its time, and how many graphs were read straight into ORT's memory (no second copy). */
  loaded?: { ms: number; graphsInOrtHeap: number };
}

export interface EngineStats {
  runs: number;
  runMs: number;
  gpuReads: number;
  /** GPU-to-CPU buffer maps seen during the denoising loop (WebGPU only), divided by steps. */
  gpuReadsPerStep: number | null;
  /** The same maps per denoising step (index = step - 1), to show which steps read anything. */
  gpuReadsByStep: number[] | null;
  /** Maps after the prompt was encoded and before the first step (text embeddings for MaskDiffusion, a probe pass). */
  gpuReadsBeforeLoop: number | null;
  /** The UNet graph the steps ran: patched for attention control, or unpatched (a small model's twin, or a refused patch). */
  denoiser: DenoiserGraph;
}

export type DenoiserGraph = 'patched' | 'unpatched';

/** Step-by-step mode: start paused, and send a snapshot (previews, noise level) of every step. */
export interface TeachingOptions {
  startPaused: boolean;
  snapshots: boolean;
}

/** Where the engine loads a model from: files served with the app (the built-in model), or a model installed in the store. */
export type ModelSource = { kind: 'url'; baseUrl: string } | { kind: 'store'; modelId: string };

/** The wire's name for ./hubHosts' HubHosts (where hub files may come from); one type under two names. */
export type HubHostsSetting = HubHosts;

/** One denoising step as the teaching timeline shows it; images are RGBA at latent resolution. */
export interface StepView {
  index: number;
  timestep: number;
  sigma: number;
  alphaBar: number;
  width: number;
  height: number;
  noisy: Uint8ClampedArray;
  x0: Uint8ClampedArray;
  x0Cond: Uint8ClampedArray | null;
  x0Uncond: Uint8ClampedArray | null;
}

export type GenerationPhase = 'encode' | 'denoise' | 'decode';

/** Per-step cross-attention of the conditional prompt, with the prompt's words, for heatmaps. */
export interface AttentionReport {
  tokens: number;
  width: number;
  height: number;
  perStep: Float32Array[];
  words: { text: string; tokens: number[] }[];
}

/** What a load reads, step by step (tokenizer, each session). */
export interface LoadProgress {
  loaded: number;
  total: number;
  label: string;
}

export interface LoadRequest {
  preference: BackendPreference;
  model: ModelSource;
  graphsBaseUrl: string;
  variantId?: string;
  hubHosts?: HubHostsSetting;
}

export interface EngineReady {
  backend: BackendInfo;
  model: ModelInfo;
  loadMs: number;
}

export interface GenerateRequest {
  settings: GenerationSettings;
  teaching?: TeachingOptions;
  heatmaps?: boolean;
}

/**
 * What a running generation reports: a step done, a pause (step-by-step mode), a step's snapshot, and the finished
 * image's pixels, sent before the PNG is encoded so the page can show the image at once.
 */
export type GenerationEvent =
  | { type: 'progress'; phase: GenerationPhase; step: number; totalSteps: number }
  | { type: 'paused'; beforeStep: number }
  | { type: 'snapshot'; view: StepView }
  | { type: 'pixels'; pixels: ImagePixels };

/** Opaque 8-bit RGBA pixels, row by row. */
export interface ImagePixels {
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
}

/** Step-by-step mode's controls of a running generation (cancel is the RPC's own). */
export type GenerationControl = 'pause' | 'resume' | 'step';

export interface GenerationResult {
  /** The PNG with its A1111 `parameters` chunk, encoded in the worker. */
  png: Uint8Array;
  width: number;
  height: number;
  settings: GenerationSettings;
  truncatedWords: string[];
  masks: MaskReport | null;
  /** MaskDiffusion's regions after each denoising step (null before they were placed), for the step slider. */
  maskTimeline: (MaskState | null)[];
  promptWarnings: string[];
  attention: AttentionReport | null;
  timings: GenerationTimings;
  stats: EngineStats;
}

/** Where a generation's time went, in the worker (ms). */
export interface GenerationTimings {
  /** Prompt to RGBA image: text encoder, denoising loop, VAE. */
  totalMs: number;
  denoiseMs: number;
  /** Encoding the image as PNG with its parameters, after the pipeline. */
  pngMs: number;
}

/** The engine worker's methods (see shared/rpc.ts). */
export type EngineApi = {
  /** Loads a model; a newer load supersedes a running one, which then fails as cancelled. */
  load: Method<LoadRequest, EngineReady, LoadProgress>;
  generate: Method<GenerateRequest, GenerationResult, GenerationEvent, GenerationControl>;
  /** Decodes the x0 of one step of the last teaching run (`generationId`: that generate call's id) to PNG bytes. */
  decodeStep: Method<{ generationId: number; stepIndex: number }, Uint8Array>;
};
