// Model manifest types: the data in models/ and public/models/*/manifest.json.

export type ComponentName = 'textEncoder' | 'unet' | 'vaeDecoder';

export interface ManifestFile {
  path: string;
  size: number;
  sha256?: string;
}

/** diffusers' `timestep_spacing` values (scheduler_config.json); each sampler keeps its own default when none is given. */
export const TIMESTEP_SPACINGS = ['leading', 'trailing', 'linspace'] as const;
export type TimestepSpacing = (typeof TIMESTEP_SPACINGS)[number];

/** onnxruntime-web's `graphOptimizationLevel` values. */
export const GRAPH_OPTIMIZATION_LEVELS = ['disabled', 'basic', 'extended', 'all'] as const;
export type GraphOptimizationLevel = (typeof GRAPH_OPTIMIZATION_LEVELS)[number];

/** Session options one model file needs (big exports set them to fit the wasm heap or fix symbolic dims). */
export interface ComponentSessionOptions {
  /** Symbolic dim name -> fixed size, e.g. { "batch_size": 1 } (ORT's freeDimensionOverrides). */
  freeDimensionOverrides?: Record<string, number>;
  enableMemPattern?: boolean;
  enableCpuMemArena?: boolean;
  graphOptimizationLevel?: GraphOptimizationLevel;
}

export interface ModelVariant {
  id: string;
  dtype: 'fp32' | 'fp16' | 'int8' | 'q4f16';
  /** WebGPU adapter features the variant needs when it runs on WebGPU, e.g. 'shader-f16'. */
  requires: string[];
  files: Record<ComponentName, string>;
  /** The UNet's fixed batch (1 or 2); omitted: any batch. The pipeline splits or fills its rows to fit. */
  io?: { staticBatch?: 1 | 2 };
  sessionOptions?: Partial<Record<ComponentName, ComponentSessionOptions>>;
  /** WebGPU adapter limits the variant needs (bytes), checked before a download starts. */
  limits?: { maxBufferSize?: number; maxStorageBufferBindingSize?: number };
}

/** Bounds on a manifest's examplePrompts (checked by storage/manifestSchema.ts). */
export const EXAMPLE_PROMPT_LIMITS = { count: 8, chars: 200 } as const;

export interface ModelManifest {
  id: string;
  name: string;
  description: string;
  licence: string;
  architecture: 'sd1' | 'sd2' | 'sd-turbo';
  randomWeights?: boolean;
  resolution: { width: number; height: number };
  latent: { channels: number; scalingFactor: number; downsample: number };
  text: { maxLength: number; hiddenSize: number };
  predictionType: 'epsilon' | 'v_prediction';
  defaults: { sampler: 'euler' | 'ddim' | 'lcm'; steps: number; guidance: number };
  /** `padTokenId`: the id prompts are padded with (SD 2.x / SD-Turbo: 0); default the tokenizer's pad token, else its end token. */
  tokenizer: { dir: string; padTokenId?: number };
  /**
   * The scheduler's timestep spacing (SD-Turbo: 'trailing'). `config` is the path of a shipped diffusers
   * scheduler_config.json (listed in files); its `timestep_spacing` wins over `timestepSpacing`.
   */
  scheduler?: { timestepSpacing?: TimestepSpacing; config?: string };
  /**
   * Prompts the model draws well, offered under the prompt box: a model of a narrow world (the built-in shapes model)
   * lists prompts of that world, so a first visitor sees what it understands. At most EXAMPLE_PROMPT_LIMITS.count.
   */
  examplePrompts?: string[];
  /**
   * MaskDiffusion tuned to the model. `suppression` (0-1, default 1 as in the paper) scales the early term that pulls
   * tokens outside their box to the row minimum: the built-in shapes model keeps its layout at half of it and loses
   * fewer objects (npm run bench:align).
   */
  maskDiffusion?: { suppression?: number };
  /** Cheap x0 previews: latent channels -> RGB (models/fit-latent-preview.ts fits it for the tiny model). */
  preview?: { latentToRgb: number[][]; bias: [number, number, number]; fit: string };
  variants: ModelVariant[];
  files: ManifestFile[];
}

// Manifests of downloadable models (models/manifests/*.json), checked by storage/manifestSchema.ts.

export interface LibraryFile {
  /** The file's path inside the installed model; also its path in the manifest's repo unless `source` says otherwise. */
  path: string;
  /** Bytes. Absent until the first verified download pins it. */
  size?: number;
  /** Lower-case hex. Absent until the first verified download pins it. */
  sha256?: string;
  /** Size or sha256 were not known when the manifest was written: the first verified download pins them. */
  toBePinned?: boolean;
  /** A rough size for display before the exact one is pinned (from the publisher's own notes); never checked. */
  approxSize?: number;
  /** A file that lives in another repo, e.g. a tokenizer.json the ONNX export does not ship. */
  source?: { repo: string; revision?: string; path: string };
}

export interface LibraryVariant extends ModelVariant {
  /**
   * Weights stored beside a graph (`unet/model.onnx_data`): onnxruntime-web needs them passed in the
   * session options' `externalData`, under the base name the graph refers to.
   */
  externalData?: Partial<Record<ComponentName, string[]>>;
}

/** A ModelManifest plus where it comes from; sizes and hashes may be unknown until pinned. */
export interface LibraryManifest extends Omit<ModelManifest, 'variants' | 'files'> {
  /** "owner/name" on the hub. */
  repo: string;
  /** A branch or, better, a commit hash (a commit never changes under a pinned sha256). */
  revision: string;
  licenceUrl?: string;
  /** What a reader of the manifest should know: where paths and sizes came from, export quirks. */
  notes?: string[];
  variants: LibraryVariant[];
  files: LibraryFile[];
}
