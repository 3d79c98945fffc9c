// Formats and parses generation settings in AUTOMATIC1111's "parameters" text, so images interoperate with A1111 tools.

import type { SamplerName } from '../schedulers/types';

export interface A1111Parameters {
  prompt: string;
  negativePrompt: string;
  steps: number;
  sampler: SamplerName;
  cfgScale: number;
  seed: number;
  width: number;
  height: number;
  model: string;
  /** Studio-specific fields appended as further "Key: value" pairs, in insertion order. */
  extra?: Record<string, string>;
}

/** The A1111 text split into its parts, before any field is interpreted. */
export interface A1111Fields {
  prompt: string;
  negativePrompt: string;
  /** Every "Key: value" pair of the last line, values unquoted; Size stays "WxH". */
  fields: Record<string, string>;
}

/** Our sampler ids -> A1111's display names (modules/sd_samplers_kdiffusion.py, sd_samplers_timesteps.py). */
export const A1111_SAMPLER_NAMES: Record<SamplerName, string> = {
  euler: 'Euler',
  ddim: 'DDIM',
  lcm: 'LCM',
  euler_a: 'Euler a',
  dpmpp_2m: 'DPM++ 2M',
};

const NEGATIVE_PROMPT_PREFIX = 'Negative prompt:';
/** A1111 writes these keys, in this order (modules/processing.py create_infotext). */
const KNOWN_KEYS = ['Steps', 'Sampler', 'CFG scale', 'Seed', 'Size', 'Model'] as const;
/** A1111's own field pattern (modules/infotext_utils.py re_param_code), global for matchAll. */
const PARAM_PATTERN = /\s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)/g;
/** A1111 treats a last line with fewer fields than this as part of the prompt. */
const MIN_FIELDS_ON_PARAMETER_LINE = 3;
/** Extra keys must survive PARAM_PATTERN: a word character first, no trailing space. */
const EXTRA_KEY_PATTERN = /^\w[\w \-/]*[\w\-/]$/;
const SIZE_PATTERN = /^(\d+)x(\d+)$/;

/**
 * A1111's quote(): JSON-quote values containing ',', ':' or a newline. We also quote values the
 * parser would otherwise alter (empty, leading/trailing whitespace, a leading '"'); A1111 reads
 * those back correctly too, since it JSON-unquotes any value wrapped in double quotes.
 */
function quoteValue(value: string): string {
  const needsQuotes = /[,:\n]/.test(value) || value === '' || value.trim() !== value || value.startsWith('"');
  return needsQuotes ? JSON.stringify(value) : value;
}

function unquoteValue(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'string') return parsed;
    } catch {
      // Not valid JSON: A1111 keeps such values as written, and so do we.
    }
  }
  return value;
}

/**
 * "prompt\nNegative prompt: neg\nSteps: 20, Sampler: Euler, CFG scale: 7, Seed: 1, Size: 512x512, Model: tiny, Extra: v".
 * The negative-prompt line is omitted when empty, as A1111 does. Unlike A1111 we do not strip
 * the whole text, so prompts with surrounding whitespace round-trip exactly.
 */
export function formatA1111Parameters(p: A1111Parameters): string {
  const fields: [string, string][] = [
    ['Steps', String(p.steps)],
    ['Sampler', A1111_SAMPLER_NAMES[p.sampler]],
    ['CFG scale', String(p.cfgScale)],
    ['Seed', String(p.seed)],
    ['Size', `${p.width}x${p.height}`],
    ['Model', p.model],
  ];
  for (const [key, value] of Object.entries(p.extra ?? {})) {
    if (!EXTRA_KEY_PATTERN.test(key) || (KNOWN_KEYS as readonly string[]).includes(key)) {
      throw new RangeError(
        `Extra parameter key ${JSON.stringify(key)} must be word characters, spaces, '-' or '/', and not a standard A1111 key.`,
      );
    }
    fields.push([key, value]);
  }
  const parameterLine = fields.map(([key, value]) => `${key}: ${quoteValue(value)}`).join(', ');
  const negative = p.negativePrompt === '' ? '' : `\n${NEGATIVE_PROMPT_PREFIX} ${p.negativePrompt}`;
  return `${p.prompt}${negative}\n${parameterLine}`;
}

/**
 * Splits A1111 text the way A1111's parse_generation_parameters does: the last line holds the
 * fields if it has at least three; lines from one starting "Negative prompt:" on form the
 * negative prompt. Limitation shared with A1111: a prompt line that itself starts with
 * "Negative prompt:" cannot be told apart from the real one.
 */
export function parseA1111Fields(text: string): A1111Fields {
  const lines = text.split('\n');
  let parameterLine = lines[lines.length - 1];
  if ([...parameterLine.matchAll(PARAM_PATTERN)].length < MIN_FIELDS_ON_PARAMETER_LINE) {
    parameterLine = '';
  } else {
    lines.pop();
  }

  const negativeStart = lines.findIndex((line) => line.startsWith(NEGATIVE_PROMPT_PREFIX));
  const promptLines = negativeStart < 0 ? lines : lines.slice(0, negativeStart);
  let negativePrompt = '';
  if (negativeStart >= 0) {
    const negativeLines = lines.slice(negativeStart);
    // We write exactly one space after the prefix; drop only that so leading spaces survive.
    const first = negativeLines[0].slice(NEGATIVE_PROMPT_PREFIX.length);
    negativeLines[0] = first.startsWith(' ') ? first.slice(1) : first;
    negativePrompt = negativeLines.join('\n');
  }

  const fields: Record<string, string> = {};
  for (const match of parameterLine.matchAll(PARAM_PATTERN)) fields[match[1]] = unquoteValue(match[2]);
  return { prompt: promptLines.join('\n'), negativePrompt, fields };
}

function requireField(fields: Record<string, string>, key: string): string {
  const value = fields[key];
  if (value === undefined) throw new SyntaxError(`A1111 parameters lack the "${key}" field.`);
  return value;
}

function parseNumberField(fields: Record<string, string>, key: string, integer: boolean): number {
  const raw = requireField(fields, key);
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new SyntaxError(`A1111 "${key}" must be ${integer ? 'an integer' : 'a number'}; got ${JSON.stringify(raw)}.`);
  }
  return value;
}

/**
 * Inverse of formatA1111Parameters: parse(format(p)) deep-equals p. Throws SyntaxError when a
 * required field is missing or malformed, or when the sampler is not one this studio runs
 * (use parseA1111Fields for lenient reading of arbitrary A1111 images).
 */
export function parseA1111Parameters(text: string): A1111Parameters {
  const { prompt, negativePrompt, fields } = parseA1111Fields(text);
  const samplerLabel = requireField(fields, 'Sampler');
  const sampler = (Object.keys(A1111_SAMPLER_NAMES) as SamplerName[]).find((name) => A1111_SAMPLER_NAMES[name] === samplerLabel);
  if (sampler === undefined) throw new SyntaxError(`Unsupported A1111 sampler ${JSON.stringify(samplerLabel)}.`);
  const size = SIZE_PATTERN.exec(requireField(fields, 'Size'));
  if (size === null) throw new SyntaxError(`A1111 "Size" must look like 512x512; got ${JSON.stringify(fields.Size)}.`);

  const result: A1111Parameters = {
    prompt,
    negativePrompt,
    steps: parseNumberField(fields, 'Steps', true),
    sampler,
    cfgScale: parseNumberField(fields, 'CFG scale', false),
    seed: parseNumberField(fields, 'Seed', true),
    width: Number(size[1]),
    height: Number(size[2]),
    model: requireField(fields, 'Model'),
  };
  const extraEntries = Object.entries(fields).filter(([key]) => !(KNOWN_KEYS as readonly string[]).includes(key));
  if (extraEntries.length > 0) result.extra = Object.fromEntries(extraEntries);
  return result;
}
