// Batches and X/Y grids as lists of settings: a batch is consecutive seeds, a grid the cells of one or two axes
// (A1111's X/Y/Z plot) varying seed, steps, guidance, sampler, a word's emphasis weight or MaskDiffusion strength.
import { promptToChips, setWordWeight } from '../../core/prompt';
import { SAMPLER_LABELS, validateSettings, type GenerationSettings, type SamplerName } from '../../shared/settings';

export const BATCH_LIMITS = { min: 1, max: 16 } as const;
/** A grid is run image by image: 64 cells of a few seconds each is already a long wait. */
export const GRID_MAX_CELLS = 64;

export const AXIS_KINDS = {
  seed: 'Seed',
  steps: 'Steps',
  guidance: 'CFG scale',
  sampler: 'Sampler',
  weight: 'Word weight',
  maskStrength: 'MaskDiffusion strength',
} as const;
export type AxisKind = keyof typeof AXIS_KINDS;

export interface GridAxis {
  kind: AxisKind;
  /** As typed: "1, 2, 3", "1-4" for whole-number axes, sampler names for the sampler axis. */
  values: string;
  /** The word whose weight a 'weight' axis varies. */
  word?: string;
}

export interface SeriesCell {
  settings: GenerationSettings;
  /** Column and row in the grid (row 0 when there is no Y axis). */
  x: number;
  y: number;
}

export class SeriesPlanError extends Error {}

const WHOLE_NUMBER_AXES: readonly AxisKind[] = ['seed', 'steps'];

/** The values of an axis, in order; throws SeriesPlanError naming the axis and the value it cannot read. */
export function axisValues(axis: GridAxis): (number | SamplerName)[] {
  const items = axis.values
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (items.length === 0) throw new SeriesPlanError(`${AXIS_KINDS[axis.kind]}: give at least one value, separated by commas.`);
  if (axis.kind === 'sampler') {
    return items.map((item) => {
      const name = (Object.keys(SAMPLER_LABELS) as SamplerName[]).find(
        (s) => s === item || SAMPLER_LABELS[s].toLowerCase() === item.toLowerCase(),
      );
      if (!name) throw new SeriesPlanError(`Sampler: "${item}" is not one of ${Object.keys(SAMPLER_LABELS).join(', ')}.`);
      return name;
    });
  }
  return items.flatMap((item) => {
    const range = WHOLE_NUMBER_AXES.includes(axis.kind) ? /^(\d+)\s*-\s*(\d+)$/.exec(item) : null;
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (to < from || to - from >= GRID_MAX_CELLS)
        throw new SeriesPlanError(
          `${AXIS_KINDS[axis.kind]}: the range "${item}" must run upwards and hold at most ${GRID_MAX_CELLS} values.`,
        );
      return Array.from({ length: to - from + 1 }, (_, i) => from + i);
    }
    const value = Number(item);
    if (!Number.isFinite(value) || (WHOLE_NUMBER_AXES.includes(axis.kind) && !Number.isInteger(value))) {
      throw new SeriesPlanError(
        `${AXIS_KINDS[axis.kind]}: "${item}" is not a ${WHOLE_NUMBER_AXES.includes(axis.kind) ? 'whole number' : 'number'}.`,
      );
    }
    return [value];
  });
}

/** The prompt with `word`'s weight set, in the prompt's own syntax (as the word-chip slider writes it). */
function withWordWeight(s: GenerationSettings, word: string | undefined, weight: number): GenerationSettings {
  const syntax = s.emphasis?.syntax ?? 'auto';
  const index = promptToChips(s.prompt, { syntax }).findIndex((c) => c.text.toLowerCase() === (word ?? '').trim().toLowerCase());
  if (index < 0) throw new SeriesPlanError(`Word weight: "${word ?? ''}" is not a word of the prompt.`);
  return { ...s, prompt: setWordWeight(s.prompt, index, weight, syntax) };
}

export function applyAxis(s: GenerationSettings, axis: GridAxis, value: number | SamplerName): GenerationSettings {
  switch (axis.kind) {
    case 'sampler':
      return { ...s, sampler: value as SamplerName };
    case 'weight':
      return withWordWeight(s, axis.word, value as number);
    case 'maskStrength':
      return { ...s, maskDiffusion: { ...s.maskDiffusion, enabled: true, strength: value as number } };
    default:
      return { ...s, [axis.kind]: value };
  }
}

export function axisLabel(axis: GridAxis, value: number | SamplerName): string {
  if (axis.kind === 'sampler') return SAMPLER_LABELS[value as SamplerName];
  if (axis.kind === 'weight') return `${axis.word?.trim()}: ${value}`;
  return `${AXIS_KINDS[axis.kind]}: ${value}`;
}

/** Every cell's settings, row by row; each is checked as a single run would be, so a bad cell stops nothing midway. */
export function gridCells(base: GenerationSettings, x: GridAxis, y: GridAxis | null): SeriesCell[] {
  const xs = axisValues(x);
  const ys = y ? axisValues(y) : [null];
  if (xs.length * ys.length > GRID_MAX_CELLS)
    throw new SeriesPlanError(`The grid has ${xs.length * ys.length} cells; at most ${GRID_MAX_CELLS} are run.`);
  return ys.flatMap((yv, row) =>
    xs.map((xv, column) => {
      const settings = applyAxis(yv === null || !y ? base : applyAxis(base, y, yv), x, xv);
      try {
        validateSettings(settings);
      } catch (error) {
        throw new SeriesPlanError(
          `Cell ${axisLabel(x, xv)}${yv === null || !y ? '' : `, ${axisLabel(y, yv)}`}: ${(error as Error).message}`,
        );
      }
      return { settings, x: column, y: row };
    }),
  );
}

/** `count` images with consecutive seeds from the form's seed (wrapping past the largest seed). */
export function batchCells(base: GenerationSettings, count: number): SeriesCell[] {
  if (!Number.isInteger(count) || count < BATCH_LIMITS.min || count > BATCH_LIMITS.max) {
    throw new SeriesPlanError(`Batch count must be a whole number from ${BATCH_LIMITS.min} to ${BATCH_LIMITS.max}; got ${count}.`);
  }
  return Array.from({ length: count }, (_, i) => ({ settings: { ...base, seed: (base.seed + i) % 2 ** 32 }, x: i, y: 0 }));
}

/** A1111's X/Y plot fields, for the grid PNG's metadata. */
export function gridDescription(x: GridAxis, y: GridAxis | null): Record<string, string> {
  const fields: Record<string, string> = { 'X Type': AXIS_KINDS[x.kind], 'X Values': x.values };
  if (x.kind === 'weight') fields['X Word'] = x.word ?? '';
  if (y) {
    fields['Y Type'] = AXIS_KINDS[y.kind];
    fields['Y Values'] = y.values;
    if (y.kind === 'weight') fields['Y Word'] = y.word ?? '';
  }
  return fields;
}
