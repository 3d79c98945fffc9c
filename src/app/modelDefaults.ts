// A model's suggested settings (its manifest's sampler, steps and guidance, and its first example prompt), and when
// the studio may put them in the form by itself: only over values it put there itself, never over the person's.
import type { ModelInfo } from '../shared/protocol';
import { stepLimitsFor, type GenerationSettings } from '../shared/settings';

/** The fields a model suggests values for. */
export type SuggestedFields = Pick<GenerationSettings, 'prompt' | 'sampler' | 'steps' | 'guidance'>;

export function suggestedFieldsOf(settings: GenerationSettings): SuggestedFields {
  const { prompt, sampler, steps, guidance } = settings;
  return { prompt, sampler, steps, guidance };
}

/**
 * What `model` suggests. Models of one small world (the built-in shapes model) name example prompts, and the first is
 * one it draws well; a model without any gets `fallbackPrompt` (the studio's own default prompt).
 */
export function modelSuggestions(model: ModelInfo, fallbackPrompt: string): SuggestedFields {
  return { prompt: model.examplePrompts[0] ?? fallbackPrompt, ...modelSettings(model) };
}

/** The model's sampler, steps (within the sampler's limits) and guidance: what the Model defaults button applies. */
export function modelSettings(model: ModelInfo): Omit<SuggestedFields, 'prompt'> {
  const { sampler, steps, guidance } = model.defaults;
  const limits = stepLimitsFor(sampler);
  return { sampler, steps: Math.min(limits.max, Math.max(limits.min, steps)), guidance };
}

export function sameSuggestedFields(a: SuggestedFields, b: SuggestedFields): boolean {
  return a.prompt === b.prompt && a.sampler === b.sampler && a.steps === b.steps && a.guidance === b.guidance;
}
