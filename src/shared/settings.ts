// Generation settings: the one type the UI, worker, pipeline and PNG metadata share.
import { StudioError } from './errors';

export type SamplerName = 'euler' | 'euler_a' | 'dpmpp_2m' | 'ddim' | 'lcm';

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
  /** 'reference' adds the reference code's extra S*[M>=0.05] term; 'corrected' follows the paper. */
  variant: 'corrected' | 'reference';
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
  mode: 'embeddingScaling' | 'lerpFromEmpty' | 'attentionGain';
  syntax: 'auto' | 'a1111' | 'compel';
}

export interface GenerationSettings {
  prompt: string;
  negativePrompt: string;
  seed: number;
  steps: number;
  guidance: number;
  sampler: SamplerName;
  maskDiffusion?: MaskDiffusionSettings;
  emphasis?: EmphasisSettings;
}

export const SAMPLER_LABELS: Record<SamplerName, string> = {
  euler: 'Euler',
  euler_a: 'Euler ancestral',
  dpmpp_2m: 'DPM++ 2M',
  ddim: 'DDIM',
  lcm: 'LCM (few-step)',
};

// Bounds shown in the UI and enforced before any model runs.
export const SETTINGS_LIMITS = {
  steps: { min: 1, max: 150 },
  lcmSteps: { min: 1, max: 8 },
  guidance: { min: 0, max: 30 },
  promptChars: 4000,
  maskStrength: { min: 0, max: 5 },
} as const;

/** Throws a StudioError naming the field and the allowed range for anything out of bounds. */
export function validateSettings(s: GenerationSettings): void {
  const fail = (message: string, remedy: string): never => {
    throw new StudioError({ code: 'invalid-settings', stage: 'settings', message, remedy });
  };
  if (!Number.isInteger(s.seed) || s.seed < 0 || s.seed > 0xffffffff) {
    fail(`Seed ${s.seed} is not a whole number between 0 and 4294967295.`, 'Enter another seed or press Randomise.');
  }
  const stepLimits = s.sampler === 'lcm' ? SETTINGS_LIMITS.lcmSteps : SETTINGS_LIMITS.steps;
  if (!Number.isInteger(s.steps) || s.steps < stepLimits.min || s.steps > stepLimits.max) {
    fail(`Steps must be a whole number from ${stepLimits.min} to ${stepLimits.max} for ${SAMPLER_LABELS[s.sampler]}; got ${s.steps}.`, 'Change the step count.');
  }
  if (!Number.isFinite(s.guidance) || s.guidance < SETTINGS_LIMITS.guidance.min || s.guidance > SETTINGS_LIMITS.guidance.max) {
    fail(`Guidance must be between ${SETTINGS_LIMITS.guidance.min} and ${SETTINGS_LIMITS.guidance.max}; got ${s.guidance}.`, 'Change the guidance scale.');
  }
  const md = s.maskDiffusion;
  if (md?.enabled) {
    if (!Number.isFinite(md.strength) || md.strength < SETTINGS_LIMITS.maskStrength.min || md.strength > SETTINGS_LIMITS.maskStrength.max) {
      fail(`MaskDiffusion strength must be between ${SETTINGS_LIMITS.maskStrength.min} and ${SETTINGS_LIMITS.maskStrength.max}; got ${md.strength}.`, 'Move the strength slider back into range.');
    }
    const badBox = md.boxes.find((b) => b && ![b.x0, b.y0, b.x1, b.y1].every((v) => Number.isFinite(v) && v >= 0 && v <= 1));
    if (badBox) fail('A MaskDiffusion box lies outside the image.', 'Redraw the box inside the image.');
  }
  if (s.prompt.length > SETTINGS_LIMITS.promptChars || s.negativePrompt.length > SETTINGS_LIMITS.promptChars) {
    fail(`Prompts are limited to ${SETTINGS_LIMITS.promptChars} characters.`, 'Shorten the prompt.');
  }
}
