// Prompt presets and the prompt history: their shapes, limits, and the JSON file they are exported to and imported
// from. An imported file is checked field by field: a bad one is refused with the preset and the field named.
import {
  EMPHASIS_MODE_NAMES,
  EMPHASIS_SYNTAX_LABELS,
  MASK_VARIANT_LABELS,
  SAMPLER_LABELS,
  validateSettings,
  valuesOf,
  withDefaultBlocks,
  type GenerationSettings,
} from '../../shared/settings';

export interface Preset {
  id: string;
  name: string;
  createdAt: number;
  settings: GenerationSettings;
}

export interface RecentPrompt {
  prompt: string;
  negativePrompt: string;
  usedAt: number;
}

/** Both live in localStorage (about 5 MB a site): 200 presets of two 4,000-character prompts stay well inside it. */
export const PRESET_LIMITS = { presets: 200, history: 50, nameChars: 80, fileBytes: 4 * 1024 * 1024 } as const;
export const PRESET_FILE_FORMAT = 'diffusion-studio-presets';

export class PresetFileError extends Error {}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const MASK_VARIANTS: readonly string[] = valuesOf(MASK_VARIANT_LABELS);
const EMPHASIS_MODES: readonly string[] = EMPHASIS_MODE_NAMES;
const PROMPT_SYNTAXES: readonly string[] = valuesOf(EMPHASIS_SYNTAX_LABELS);

/** The field that is wrong, or null: types and value lists here, ranges by validateSettings afterwards. */
function settingsShapeProblem(s: unknown): string | null {
  if (!isObject(s)) return 'settings must be an object';
  for (const key of ['prompt', 'negativePrompt'] as const) if (typeof s[key] !== 'string') return `settings.${key} must be text`;
  for (const key of ['seed', 'steps', 'guidance'] as const) if (typeof s[key] !== 'number') return `settings.${key} must be a number`;
  if (typeof s.sampler !== 'string' || !(s.sampler in SAMPLER_LABELS))
    return `settings.sampler must be one of ${Object.keys(SAMPLER_LABELS).join(', ')}`;
  const md = s.maskDiffusion;
  if (md !== undefined) {
    if (
      !isObject(md) ||
      typeof md.enabled !== 'boolean' ||
      typeof md.strength !== 'number' ||
      !MASK_VARIANTS.includes(md.variant as string) ||
      !Array.isArray(md.boxes)
    ) {
      return 'settings.maskDiffusion must have enabled, strength, variant (corrected or reference) and boxes';
    }
    const box = (b: unknown) => b === null || (isObject(b) && ['x0', 'y0', 'x1', 'y1'].every((k) => typeof b[k] === 'number'));
    if (!md.boxes.every(box)) return 'settings.maskDiffusion.boxes must hold boxes {x0, y0, x1, y1} or null';
  }
  const em = s.emphasis;
  if (
    em !== undefined &&
    (!isObject(em) || !EMPHASIS_MODES.includes(em.mode as string) || !PROMPT_SYNTAXES.includes(em.syntax as string))
  ) {
    return `settings.emphasis must have mode (${EMPHASIS_MODES.join(', ')}) and syntax (${PROMPT_SYNTAXES.join(', ')})`;
  }
  return null;
}

/**
 * Only the known fields are kept, so an imported file cannot smuggle other keys into the persisted settings; a file
 * without MaskDiffusion or emphasis settings gets the defaults. Call after settingsShapeProblem found nothing.
 */
function knownSettings(s: Json): GenerationSettings {
  const { prompt, negativePrompt, seed, steps, guidance, sampler, maskDiffusion, emphasis } = s as Partial<GenerationSettings>;
  return withDefaultBlocks({
    prompt: prompt!,
    negativePrompt: negativePrompt!,
    seed: seed!,
    steps: steps!,
    guidance: guidance!,
    sampler: sampler!,
    maskDiffusion,
    emphasis,
  });
}

export function presetFileText(presets: readonly Preset[]): string {
  return JSON.stringify(
    { format: PRESET_FILE_FORMAT, version: 1, presets: presets.map(({ name, settings }) => ({ name, settings })) },
    null,
    2,
  );
}

/** The presets of an exported file, new ids given; throws PresetFileError saying what is wrong and where. */
export function parsePresetFile(text: string, now = Date.now()): Preset[] {
  if (text.length > PRESET_LIMITS.fileBytes)
    throw new PresetFileError(`The file is over ${PRESET_LIMITS.fileBytes / 2 ** 20} MB; a presets file is far smaller.`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new PresetFileError('The file is not JSON; choose a file exported with Export presets.');
  }
  if (!isObject(data) || data.format !== PRESET_FILE_FORMAT || !Array.isArray(data.presets)) {
    throw new PresetFileError(`The file is not a presets file (it needs "format": "${PRESET_FILE_FORMAT}" and a "presets" list).`);
  }
  if (data.version !== 1)
    throw new PresetFileError(`Presets file version ${JSON.stringify(data.version)} is not one this studio reads (1).`);
  if (data.presets.length > PRESET_LIMITS.presets)
    throw new PresetFileError(`The file holds ${data.presets.length} presets; at most ${PRESET_LIMITS.presets} are kept.`);
  return data.presets.map((p: unknown, i) => {
    const where = `Preset ${i + 1}`;
    if (!isObject(p) || typeof p.name !== 'string' || p.name.trim() === '' || p.name.length > PRESET_LIMITS.nameChars) {
      throw new PresetFileError(`${where}: name must be text of 1 to ${PRESET_LIMITS.nameChars} characters.`);
    }
    const problem = settingsShapeProblem(p.settings);
    if (problem) throw new PresetFileError(`${where} ("${p.name}"): ${problem}.`);
    const settings = knownSettings(p.settings as Json);
    try {
      validateSettings(settings);
    } catch (error) {
      throw new PresetFileError(`${where} ("${p.name}"): ${(error as Error).message}`);
    }
    return { id: crypto.randomUUID(), name: p.name.trim(), createdAt: now + i, settings };
  });
}

/** The newest use first, one entry per prompt pair, at most PRESET_LIMITS.history. */
export function withRecentPrompt(
  history: readonly RecentPrompt[],
  prompt: string,
  negativePrompt: string,
  now = Date.now(),
): RecentPrompt[] {
  if (prompt.trim() === '') return [...history];
  const rest = history.filter((h) => h.prompt !== prompt || h.negativePrompt !== negativePrompt);
  return [{ prompt, negativePrompt, usedAt: now }, ...rest].slice(0, PRESET_LIMITS.history);
}
