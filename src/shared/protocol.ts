// The typed message protocol between the UI thread and the engine worker (requests carry ids).
import type { WireError } from './errors';
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
  variant: string;
  width: number;
  height: number;
  defaults: { sampler: GenerationSettings['sampler']; steps: number; guidance: number };
  /** Whether the denoiser was patched for MaskDiffusion, or why not. */
  attentionControl: { available: boolean; reason?: string; selfMasking: boolean };
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
}

/** Step-by-step mode: start paused, and send a snapshot (previews, noise level) of every step. */
export interface TeachingOptions {
  startPaused: boolean;
  snapshots: boolean;
}

/** Where the engine loads a model from: files served with the app (the built-in model), or a model installed in the store. */
export type ModelSource = { kind: 'url'; baseUrl: string } | { kind: 'store'; modelId: string };

/** The wire's name for ./hubHosts' HubHosts (where hub files may come from); one type under two names. */
export type HubHostsSetting = HubHosts;

export type EngineRequest =
  | { type: 'init'; id: number; preference: BackendPreference; model: ModelSource; graphsBaseUrl: string; variantId?: string; hubHosts?: HubHostsSetting }
  | { type: 'generate'; id: number; settings: GenerationSettings; teaching?: TeachingOptions; heatmaps?: boolean }
  | { type: 'cancel' | 'pause' | 'resume' | 'step'; id: number; targetId: number }
  /** Decodes the x0 of one step of the last teaching run with the full VAE. */
  | { type: 'decode-step'; id: number; targetId: number; stepIndex: number };

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

export type EngineResponse =
  | { type: 'load-progress'; id: number; loaded: number; total: number; label: string }
  | { type: 'ready'; id: number; backend: BackendInfo; model: ModelInfo; loadMs: number }
  | { type: 'progress'; id: number; phase: GenerationPhase; step: number; totalSteps: number; masks?: MaskState }
  | { type: 'paused'; id: number; beforeStep: number }
  | { type: 'snapshot'; id: number; view: StepView }
  | { type: 'decoded'; id: number; png: Uint8Array }
  | {
      type: 'result';
      id: number;
      /** The PNG with its A1111 `parameters` chunk, encoded in the worker. */
      png: Uint8Array;
      width: number;
      height: number;
      settings: GenerationSettings;
      truncatedWords: string[];
      masks: MaskReport | null;
      promptWarnings: string[];
      attention: AttentionReport | null;
      timings: { totalMs: number; denoiseMs: number };
      stats: EngineStats;
    }
  | { type: 'error'; id: number; error: WireError };
