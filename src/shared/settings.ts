// Generation settings: the one type the UI, worker, pipeline and PNG metadata share, with every value list,
// default and limit they use (each list is a const object; its type is derived from it).
import { StudioError } from './errors';

/** Samplers by the name settings and metadata use, with the label the UI shows. */
export const SAMPLER_LABELS = {
  euler: 'Euler',
  euler_a: 'Euler ancestral',
  dpmpp_2m: 'DPM++ 2M',
  ddim: 'DDIM',
  lcm: 'LCM (few-step)',
} as const;
export type SamplerName = keyof typeof SAMPLER_LABELS;

/** MaskDiffusion's formula: 'reference' adds the reference code's extra S*[M>=0.05] term; 'corrected' follows the paper. */
export const MASK_VARIANT_LABELS = {
  corrected: 'Paper (corrected)',
  reference: 'Reference code',
} as const;
export type MaskVariant = keyof typeof MASK_VARIANT_LABELS;

/** How per-token emphasis is applied; core/prompt/emphasisMath.ts EMPHASIS_MODES describes each (and must name exactly these). */
export const EMPHASIS_MODE_NAMES = ['embeddingScaling', 'lerpFromEmpty', 'attentionGain'] as const;
export type EmphasisMode = (typeof EMPHASIS_MODE_NAMES)[number];

/** Which emphasis syntax the prompt is read in; 'auto' picks Compel when the prompt uses a Compel-only construct. */
export const EMPHASIS_SYNTAX_LABELS = {
  auto: 'Auto-detect',
  a1111: 'A1111 (word:1.2)',
  compel: 'Compel word++',
} as const;
export type EmphasisSyntaxOption = keyof typeof EMPHASIS_SYNTAX_LABELS;

/** Which execution provider runs the models: the best available, or one forced by the user. */
export const BACKEND_PREFERENCE_LABELS = {
  auto: 'Auto',
  webgpu: 'WebGPU',
  wasm: 'WASM (CPU)',
} as const;
export type BackendPreference = keyof typeof BACKEND_PREFERENCE_LABELS;

/** The keys of a value list, in the order written (for a <select>). */
export function valuesOf<K extends string>(labels: Record<K, string>): K[] {
  return Object.keys(labels) as K[];
}

/** A rectangle in normalised image coordinates (0..1, origin top-left). */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface MaskDiffusionSettings {
  enabled: boolean;
  /** Multiplies lambda_t = (t/1000)^5. */
  strength: number;
  variant: MaskVariant;
  /** A user-drawn box per detected object (by index), or null to let the model propose one. */
  boxes: (Box | null)[];
}

/** Where MaskDiffusion's regions came from and when they took effect (reported back to the UI). */
export interface MaskState {
  /** The region per object once masks exist (normalised), else null. */
  boxes: (Box | null)[];
  /** First step whose denoiser call used the masks. */
  activeFromStep: number | null;
  source: 'boxes' | 'auto' | 'probe' | null;
}

/** How per-token emphasis is applied (see src/core/prompt/emphasisMath.ts) and which syntax the prompt uses. */
export interface EmphasisSettings {
  mode: EmphasisMode;
  syntax: EmphasisSyntaxOption;
}

export interface GenerationSettings {
  prompt: string;
  negativePrompt: string;
  seed: number;
  steps: number;
  guidance: number;
  sampler: SamplerName;
  maskDiffusion: MaskDiffusionSettings;
  emphasis: EmphasisSettings;
}

/** MaskDiffusion off, at the paper's lambda scale of 1, with the model proposing every region. */
export const DEFAULT_MASK_DIFFUSION: MaskDiffusionSettings = { enabled: false, strength: 1, variant: 'corrected', boxes: [] };

/** A1111's emphasis (the most common convention), syntax detected from the prompt. */
export const DEFAULT_EMPHASIS: EmphasisSettings = { mode: 'embeddingScaling', syntax: 'auto' };

/** Settings whose MaskDiffusion and emphasis blocks may be missing or partial: saved by an older version, or written by hand. */
export type SettingsWithOptionalBlocks = Omit<GenerationSettings, 'maskDiffusion' | 'emphasis'> & {
  maskDiffusion?: Partial<MaskDiffusionSettings>;
  emphasis?: Partial<EmphasisSettings>;
};

/** Fills the MaskDiffusion and emphasis blocks from the defaults, where settings are read (saved state, gallery, tests). */
export function withDefaultBlocks(s: SettingsWithOptionalBlocks): GenerationSettings {
  return { ...s, maskDiffusion: { ...DEFAULT_MASK_DIFFUSION, ...s.maskDiffusion }, emphasis: { ...DEFAULT_EMPHASIS, ...s.emphasis } };
}

// Bounds shown in the UI and enforced before any model runs.
export const SETTINGS_LIMITS = {
  steps: { min: 1, max: 150 },
  lcmSteps: { min: 1, max: 8 },
  guidance: { min: 0, max: 30 },
  promptChars: 4000,
  /** The validator allows up to 5; the slider (and the checker's feedback loop) stop at 3, where images start to break up. */
  maskStrength: { min: 0, max: 5, sliderMax: 3 },
  seed: { min: 0, max: 0xffffffff },
} as const;

/** Step bounds for a sampler: LCM is a few-step sampler with its own bounds. */
export function stepLimitsFor(sampler: SamplerName): { min: number; max: number } {
  return sampler === 'lcm' ? SETTINGS_LIMITS.lcmSteps : SETTINGS_LIMITS.steps;
}

/** Throws a StudioError naming the field and the allowed range for anything out of bounds. */
export function validateSettings(s: GenerationSettings): void {
  const fail = (message: string, remedy: string): never => {
    throw new StudioError({ code: 'invalid-settings', stage: 'settings', message, remedy });
  };
  if (!Number.isInteger(s.seed) || s.seed < SETTINGS_LIMITS.seed.min || s.seed > SETTINGS_LIMITS.seed.max) {
    fail(
      `Seed ${s.seed} is not a whole number between ${SETTINGS_LIMITS.seed.min} and ${SETTINGS_LIMITS.seed.max}.`,
      'Enter another seed or press Randomise.',
    );
  }
  const stepLimits = stepLimitsFor(s.sampler);
  if (!Number.isInteger(s.steps) || s.steps < stepLimits.min || s.steps > stepLimits.max) {
    fail(
      `Steps must be a whole number from ${stepLimits.min} to ${stepLimits.max} for ${SAMPLER_LABELS[s.sampler]}; got ${s.steps}.`,
      'Change the step count.',
    );
  }
  if (!Number.isFinite(s.guidance) || s.guidance < SETTINGS_LIMITS.guidance.min || s.guidance > SETTINGS_LIMITS.guidance.max) {
    fail(
      `Guidance must be between ${SETTINGS_LIMITS.guidance.min} and ${SETTINGS_LIMITS.guidance.max}; got ${s.guidance}.`,
      'Change the guidance scale.',
    );
  }
  const md = s.maskDiffusion;
  if (md.enabled) {
    if (!Number.isFinite(md.strength) || md.strength < SETTINGS_LIMITS.maskStrength.min || md.strength > SETTINGS_LIMITS.maskStrength.max) {
      fail(
        `MaskDiffusion strength must be between ${SETTINGS_LIMITS.maskStrength.min} and ${SETTINGS_LIMITS.maskStrength.max}; got ${md.strength}.`,
        'Move the strength slider back into range.',
      );
    }
    const badBox = md.boxes.find((b) => b && ![b.x0, b.y0, b.x1, b.y1].every((v) => Number.isFinite(v) && v >= 0 && v <= 1));
    if (badBox) fail('A MaskDiffusion box lies outside the image.', 'Redraw the box inside the image.');
  }
  if (s.prompt.length > SETTINGS_LIMITS.promptChars || s.negativePrompt.length > SETTINGS_LIMITS.promptChars) {
    fail(`Prompts are limited to ${SETTINGS_LIMITS.promptChars} characters.`, 'Shorten the prompt.');
  }
}
