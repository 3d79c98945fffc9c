// PNG Info: what a PNG says about how it was made (this studio's, A1111's or ComfyUI's metadata), and which of
// those settings this studio can apply. Unknown fields are kept and shown, never dropped.
import type { Box, EmphasisSettings, GenerationSettings, MaskDiffusionSettings, SamplerName } from '../../shared/settings';
import {
  DEFAULT_EMPHASIS,
  EMPHASIS_MODE_NAMES,
  EMPHASIS_SYNTAX_LABELS,
  MASK_VARIANT_LABELS,
  SETTINGS_LIMITS,
  valuesOf,
} from '../../shared/settings';
import { A1111_SAMPLER_NAMES, parseA1111Fields } from './a1111Parameters';
import { readPngTextChunks, type SkippedTextChunk } from './pngText';

/** A1111's infotext is a few KB; ComfyUI's workflow JSON can reach a few hundred. Larger chunks are listed, not read. */
export const PNG_INFO_MAX_CHUNK_BYTES = 1024 * 1024;
/** Bigger files are refused before they are read into memory at all. */
export const PNG_INFO_MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Fields this studio writes beside A1111's own (see the engine's PNG writer). */
export const STUDIO_PARAMETER_KEYS = {
  variant: 'Model variant',
  backend: 'Backend',
  maskDiffusion: 'MaskDiffusion',
  maskBoxes: 'MaskDiffusion boxes',
  emphasisMode: 'Emphasis mode',
  promptSyntax: 'Prompt syntax',
} as const;

export type PngInfoSource = 'parameters' | 'comfyui' | 'none';

export interface PngInfo {
  source: PngInfoSource;
  /** Every text chunk read, keyword -> text, as in the file. */
  chunks: Record<string, string>;
  skipped: SkippedTextChunk[];
  /** The settings this studio can take from the file (empty unless source is 'parameters'). */
  settings: Partial<GenerationSettings>;
  /** The A1111 "Key: value" fields with their values as written. */
  fields: Record<string, string>;
  /** Fields this studio does not use (shown to the user as they are). */
  unknownFields: Record<string, string>;
  /** What was read but not applied, or applied differently, in a sentence each. */
  notes: string[];
  /** Written by this studio: a setting it does not mention (MaskDiffusion) was off. */
  madeByStudio: boolean;
}

const USED_KEYS = new Set<string>(['Steps', 'Sampler', 'CFG scale', 'Seed', 'Size', 'Model', ...Object.values(STUDIO_PARAMETER_KEYS)]);

/** A1111 sampler labels -> ours; the scheduler suffixes older A1111 versions glued on ("DPM++ 2M Karras") are noted. */
function samplerFromLabel(label: string, notes: string[]): SamplerName | undefined {
  const labels = Object.entries(A1111_SAMPLER_NAMES) as [SamplerName, string][];
  const exact = labels.find(([, name]) => name === label);
  if (exact) return exact[0];
  if (label === 'Euler ancestral') return 'euler_a';
  const prefix = labels.filter(([, name]) => label.startsWith(`${name} `)).sort((a, b) => b[1].length - a[1].length)[0];
  if (prefix) {
    notes.push(
      `Sampler "${label}": applied as ${prefix[1]}; its "${label.slice(prefix[1].length + 1)}" schedule is not one this studio has.`,
    );
    return prefix[0];
  }
  notes.push(`Sampler "${label}" is not one this studio runs; the current sampler is kept.`);
  return undefined;
}

function wholeNumber(fields: Record<string, string>, key: string, notes: string[], min: number, max: number): number | undefined {
  const raw = fields[key];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    notes.push(`${key} "${raw}" is not a whole number from ${min} to ${max}; it is not applied.`);
    return undefined;
  }
  return value;
}

function guidanceFrom(raw: string | undefined, notes: string[]): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const { min, max } = SETTINGS_LIMITS.guidance;
  if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    notes.push(`CFG scale "${raw}" is not a number from ${min} to ${max}; it is not applied.`);
    return undefined;
  }
  return value;
}

/** "0.100 0.200 0.500 0.600; none" -> boxes (null for an object the model placed). */
function parseBoxes(raw: string): (Box | null)[] | null {
  const boxes = raw.split(';').map((part): Box | null | undefined => {
    const text = part.trim();
    if (text === 'none') return null;
    const v = text.split(/\s+/).map(Number);
    if (v.length !== 4 || !v.every((n) => Number.isFinite(n) && n >= 0 && n <= 1)) return undefined;
    return { x0: v[0], y0: v[1], x1: v[2], y1: v[3] };
  });
  return boxes.every((b) => b !== undefined) ? (boxes as (Box | null)[]) : null;
}

/** "strength 1, corrected, masks from boxes" (+ the boxes field) -> MaskDiffusion settings. */
function maskDiffusionFrom(fields: Record<string, string>, notes: string[]): MaskDiffusionSettings | undefined {
  const raw = fields[STUDIO_PARAMETER_KEYS.maskDiffusion];
  if (raw === undefined) return undefined;
  const match = new RegExp(`^strength ([\\d.]+), (${valuesOf(MASK_VARIANT_LABELS).join('|')}), masks from (\\w+)$`).exec(raw);
  const strength = match ? Number(match[1]) : Number.NaN;
  if (!match || !(strength >= SETTINGS_LIMITS.maskStrength.min && strength <= SETTINGS_LIMITS.maskStrength.max)) {
    notes.push(`MaskDiffusion "${raw}" is not in the form this studio writes; MaskDiffusion is not applied.`);
    return undefined;
  }
  const variant = match[2] as MaskDiffusionSettings['variant'];
  // Only boxes the user drew are restored: proposed regions came from the model's attention, which re-runs.
  let boxes: (Box | null)[] = [];
  if (match[3] === 'boxes') {
    const parsed = parseBoxes(fields[STUDIO_PARAMETER_KEYS.maskBoxes] ?? '');
    if (parsed) boxes = parsed;
    else notes.push('The MaskDiffusion boxes could not be read; the model will propose the regions.');
  }
  return { enabled: true, strength, variant, boxes };
}

function emphasisFrom(fields: Record<string, string>, notes: string[]): EmphasisSettings | undefined {
  const mode = fields[STUDIO_PARAMETER_KEYS.emphasisMode];
  const syntax = fields[STUDIO_PARAMETER_KEYS.promptSyntax];
  if (mode === undefined && syntax === undefined) return undefined;
  const knownMode = EMPHASIS_MODE_NAMES.find((m) => m === mode);
  const knownSyntax = valuesOf(EMPHASIS_SYNTAX_LABELS).find((s) => s === syntax);
  if ((mode !== undefined && !knownMode) || (syntax !== undefined && !knownSyntax)) {
    notes.push(`Emphasis "${mode ?? ''}" / prompt syntax "${syntax ?? ''}" are not values this studio knows; emphasis is not applied.`);
    return undefined;
  }
  return { mode: knownMode ?? DEFAULT_EMPHASIS.mode, syntax: knownSyntax ?? DEFAULT_EMPHASIS.syntax };
}

/** Settings from A1111-style `parameters` text; what cannot be applied is said in `notes`. */
export function settingsFromParameters(text: string): Pick<PngInfo, 'settings' | 'fields' | 'unknownFields' | 'notes' | 'madeByStudio'> {
  const { prompt, negativePrompt, fields } = parseA1111Fields(text);
  const notes: string[] = [];
  const settings: Partial<GenerationSettings> = {};
  const cap = SETTINGS_LIMITS.promptChars;
  settings.prompt = prompt.slice(0, cap);
  settings.negativePrompt = negativePrompt.slice(0, cap);
  if (prompt.length > cap || negativePrompt.length > cap) notes.push(`The prompts are cut to ${cap} characters, this studio's limit.`);
  const sampler = fields.Sampler === undefined ? undefined : samplerFromLabel(fields.Sampler, notes);
  const steps = wholeNumber(fields, 'Steps', notes, SETTINGS_LIMITS.steps.min, SETTINGS_LIMITS.steps.max);
  const seed = wholeNumber(fields, 'Seed', notes, 0, 0xffffffff);
  const guidance = guidanceFrom(fields['CFG scale'], notes);
  const maskDiffusion = maskDiffusionFrom(fields, notes);
  const emphasis = emphasisFrom(fields, notes);
  Object.assign(
    settings,
    Object.fromEntries(Object.entries({ sampler, steps, seed, guidance, maskDiffusion, emphasis }).filter(([, v]) => v !== undefined)),
  );
  if (fields.Size !== undefined) notes.push(`Size ${fields.Size} is not applied: a model draws at its own size.`);
  if (fields.Model !== undefined) notes.push(`Made with the model "${fields.Model}"; choose it in Models if you have it.`);
  const unknownFields = Object.fromEntries(Object.entries(fields).filter(([key]) => !USED_KEYS.has(key)));
  return { settings, fields, unknownFields, notes, madeByStudio: fields[STUDIO_PARAMETER_KEYS.backend] !== undefined };
}

/** Reads a PNG's metadata. Throws an Error with a sentence for the user when the file is not a readable PNG. */
export function readPngInfo(png: Uint8Array): PngInfo {
  if (png.length > PNG_INFO_MAX_FILE_BYTES) {
    throw new Error(
      `This file is ${(png.length / 2 ** 20).toFixed(0)} MB; PNG Info reads images up to ${PNG_INFO_MAX_FILE_BYTES / 2 ** 20} MB.`,
    );
  }
  let read: ReturnType<typeof readPngTextChunks>;
  try {
    read = readPngTextChunks(png, PNG_INFO_MAX_CHUNK_BYTES);
  } catch (error) {
    throw new Error(`This file's metadata cannot be read: ${(error as Error).message}`);
  }
  const { text: chunks, skipped } = read;
  const base = { chunks, skipped, settings: {}, fields: {}, unknownFields: {}, notes: [] as string[], madeByStudio: false };
  for (const s of skipped) {
    base.notes.push(
      `The "${s.keyword}" ${s.type} chunk (${s.bytes.toLocaleString('en')} bytes) is ${s.reason === 'compressed' ? 'compressed' : 'too large'} and was not read.`,
    );
  }
  if (chunks.parameters !== undefined) {
    const parsed = settingsFromParameters(chunks.parameters);
    return { ...base, source: 'parameters', ...parsed, notes: [...base.notes, ...parsed.notes] };
  }
  if (chunks.prompt !== undefined || chunks.workflow !== undefined) {
    base.notes.push('Made by ComfyUI: it stores its node graph (shown below), not A1111 parameters, so there are no settings to apply.');
    return { ...base, source: 'comfyui' };
  }
  return { ...base, source: 'none' };
}
