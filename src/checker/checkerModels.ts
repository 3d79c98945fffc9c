// The checker models the panel offers: what each is, where its files come from, and which ONNX variants it uses.
import type { CheckerModelId } from '../shared/checkerProtocol';

export type { CheckerModelId };

/** transformers.js' own session names for Idefics3 / SmolVLM (MODEL_SESSION_CONFIG, ImageTextToText). */
export const VLM_SESSIONS = ['embed_tokens', 'vision_encoder', 'decoder_model_merged'] as const;
export type VlmSession = (typeof VLM_SESSIONS)[number];
export type VlmDtype = 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';

/** File suffix per dtype, as transformers.js' DEFAULT_DTYPE_SUFFIX_MAPPING names them. */
const DTYPE_SUFFIX: Record<VlmDtype, string> = { fp32: '', fp16: '_fp16', q8: '_quantized', q4: '_q4', q4f16: '_q4f16' };

export interface CheckerFile {
  path: string;
  size?: number;
  sha256?: string;
  /** For display before the first verified download pins the exact size. */
  approxSize?: number;
}

export interface VlmVariant {
  id: string;
  /** WebGPU adapter features it needs ('shader-f16' for fp16 weights: without it SwiftShader silently computes zeros). */
  requires: string[];
  dtype: Record<VlmSession, VlmDtype>;
  approxSizes?: Partial<Record<VlmSession, number>>;
}

export interface CheckerModelManifest {
  id: CheckerModelId;
  name: string;
  description: string;
  licence: string;
  kind: 'rules' | 'vlm';
  /** "owner/name" on the hub: the identity files are stored under, wherever they were copied from. */
  repo?: string;
  revision?: string;
  /** Where Install copies files from: the app's own folder (the built-in test model) or the hub / mirror. */
  source: 'bundled' | 'hub' | 'none';
  /** For bundled models: the folder under the app's base URL, holding manifest.json with sizes and sha256. */
  bundledPath?: string;
  randomWeights?: boolean;
  runnable: boolean;
  notRunnableReason?: string;
  /**
   * Idefics3 splits large images into 512-px tiles plus a global view (17 vision passes for a 512-px
   * image after its upscale to 2048); off, one global view of 64 tokens answers far faster.
   */
  imageSplitting: boolean;
  variants: VlmVariant[];
  /** Files every variant needs (configs, tokenizer); ONNX files follow from the variant's dtypes. */
  sharedFiles: CheckerFile[];
}

const MB = 1024 * 1024;
/** What AutoProcessor and AutoModelForVision2Seq read besides the ONNX files (generation_config.json is optional). */
export const REQUIRED_CONFIG_FILES = [
  'config.json',
  'preprocessor_config.json',
  'processor_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
];
const HUB_CONFIG_FILES: CheckerFile[] = [...REQUIRED_CONFIG_FILES, 'generation_config.json'].map((path) => ({ path }));

export const CHECKER_MODELS: CheckerModelManifest[] = [
  {
    id: 'rules',
    name: 'Colour & region rules',
    description:
      'Programmatic and exact: measures colours in image regions ("Is the left half more red than the right half?"). Understands no objects; other questions score 0.5.',
    licence: 'MIT',
    kind: 'rules',
    source: 'none',
    runnable: true,
    imageSplitting: false,
    variants: [],
    sharedFiles: [],
  },
  {
    id: 'tiny-smolvlm-random',
    name: 'Tiny SmolVLM (random weights, test model)',
    description:
      "SmolVLM-256M-Instruct's architecture at toy size with seeded random weights (models/checker/make_tiny_vlm.py). Its answers mean nothing; it proves the transformers.js checker path offline.",
    licence: 'MIT',
    kind: 'vlm',
    repo: 'test-org/tiny-smolvlm',
    revision: 'main',
    source: 'bundled',
    bundledPath: 'models/tiny-smolvlm/',
    randomWeights: true,
    runnable: true,
    imageSplitting: true,
    variants: [{ id: 'fp32', requires: [], dtype: { embed_tokens: 'fp32', vision_encoder: 'fp32', decoder_model_merged: 'fp32' } }],
    sharedFiles: HUB_CONFIG_FILES, // a bundled install takes sizes and sha256 from its manifest.json instead
  },
  {
    id: 'smolvlm-256m-instruct',
    name: 'SmolVLM-256M-Instruct',
    description:
      'HuggingFaceTB/SmolVLM-256M-Instruct (Idefics3: SigLIP-93M vision encoder, SmolLM2-135M decoder), 4-bit weights. Downloads about 0.2 GB once into the model store.',
    licence: 'Apache-2.0',
    kind: 'vlm',
    repo: 'HuggingFaceTB/SmolVLM-256M-Instruct',
    revision: 'main',
    source: 'hub',
    runnable: true,
    imageSplitting: false,
    variants: [
      {
        id: 'q4f16',
        requires: ['shader-f16'],
        dtype: { embed_tokens: 'fp16', vision_encoder: 'q4f16', decoder_model_merged: 'q4f16' },
        approxSizes: { embed_tokens: 57 * MB, vision_encoder: 66 * MB, decoder_model_merged: 80 * MB },
      },
      {
        id: 'q4',
        requires: [],
        dtype: { embed_tokens: 'q8', vision_encoder: 'q4', decoder_model_merged: 'q4' },
        approxSizes: { embed_tokens: 28 * MB, vision_encoder: 70 * MB, decoder_model_merged: 87 * MB },
      },
    ],
    sharedFiles: HUB_CONFIG_FILES,
  },
  {
    id: 'janus-pro-1b',
    name: 'Janus-Pro-1B (larger, not wired yet)',
    description:
      'onnx-community/Janus-Pro-1B-ONNX: a 1B multi-modality model (about 0.7 GB at q4f16) that both answers questions about images and generates them.',
    licence: 'MIT (DeepSeek model licence)',
    kind: 'vlm',
    repo: 'onnx-community/Janus-Pro-1B-ONNX',
    revision: 'main',
    source: 'hub',
    runnable: false,
    notRunnableReason:
      "its transformers.js class (MultiModalityCausalLM) prepares inputs through a separate prepare_inputs_embeds session that this checker's logits path does not drive yet, and it needs about 0.7 GB.",
    imageSplitting: false,
    variants: [],
    sharedFiles: HUB_CONFIG_FILES,
  },
];

export function checkerModel(id: string): CheckerModelManifest | undefined {
  return CHECKER_MODELS.find((m) => m.id === id);
}

/** The variant to use: the first whose adapter features are all present (fp16 only with shader-f16). */
export function chooseVlmVariant(model: CheckerModelManifest, adapterFeatures: readonly string[]): VlmVariant | undefined {
  return model.variants.find((v) => v.requires.every((f) => adapterFeatures.includes(f)));
}

/** The ONNX files of one variant, named the way transformers.js asks for them. */
export function variantOnnxFiles(variant: VlmVariant): CheckerFile[] {
  return VLM_SESSIONS.map((session) => ({
    path: `onnx/${session}${DTYPE_SUFFIX[variant.dtype[session]]}.onnx`,
    approxSize: variant.approxSizes?.[session],
  }));
}
