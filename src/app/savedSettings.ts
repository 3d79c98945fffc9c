// Reading back what the store persisted: the one place where saved settings get their defaults.
import { withDefaultBlocks, type GenerationSettings } from '../shared/settings';
import { capSavedPrompts } from './promptLimit';

/**
 * Settings saved by any version of the studio, made whole: fields and blocks it lacks (MaskDiffusion and
 * emphasis came later) take the current defaults, and both prompts are cut to the length limit.
 * Returns the characters cut, for a notice.
 */
export function restoreSavedSettings(saved: unknown, defaults: GenerationSettings): { settings: GenerationSettings; cut: number } {
  const fields = typeof saved === 'object' && saved !== null ? (saved as Partial<GenerationSettings>) : {};
  return capSavedPrompts(withDefaultBlocks({ ...defaults, ...fields }));
}
