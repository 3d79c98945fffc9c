// The prompt length limit, applied where text enters (typing, pasting, reading saved settings), not only at Generate.
import { SETTINGS_LIMITS } from '../shared/settings';
import type { GenerationSettings } from '../shared/settings';

export const PROMPT_MAX_CHARS = SETTINGS_LIMITS.promptChars;

/** The text cut to the limit, and how many characters were left out. */
export function capPrompt(text: string): { text: string; cut: number } {
  return text.length <= PROMPT_MAX_CHARS
    ? { text, cut: 0 }
    : { text: text.slice(0, PROMPT_MAX_CHARS), cut: text.length - PROMPT_MAX_CHARS };
}

/**
 * Saved settings with both prompts cut to the limit: a huge prompt saved by an older version (or edited in
 * storage) would otherwise be parsed and rendered on every reload. Returns the characters cut, for a notice.
 */
export function capSavedPrompts(settings: GenerationSettings): { settings: GenerationSettings; cut: number } {
  const prompt = capPrompt(typeof settings.prompt === 'string' ? settings.prompt : '');
  const negative = capPrompt(typeof settings.negativePrompt === 'string' ? settings.negativePrompt : '');
  return { settings: { ...settings, prompt: prompt.text, negativePrompt: negative.text }, cut: prompt.cut + negative.cut };
}

/** What to tell the user when text was cut. */
export function promptCutMessage(cut: number, when: 'paste' | 'load'): string {
  const limit = withThousands(PROMPT_MAX_CHARS);
  return when === 'paste'
    ? `The pasted text was cut to fit the ${limit}-character limit (${withThousands(cut)} characters left out).`
    : `The saved prompt was longer than ${limit} characters and was cut (${withThousands(cut)} characters left out).`;
}

/** 96000 -> "96,000". Not toLocaleString: its first call loads locale data, ~100 ms inside the paste handler. */
function withThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
