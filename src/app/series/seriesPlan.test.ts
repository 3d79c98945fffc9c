import { withDefaultBlocks } from '../../shared/settings';
import { describe, expect, it } from 'vitest';
import type { GenerationSettings } from '../../shared/settings';
import { axisValues, batchCells, gridCells, gridDescription, SeriesPlanError } from './seriesPlan';

const base: GenerationSettings = withDefaultBlocks({
  prompt: 'a red cat and a blue dog',
  negativePrompt: '',
  seed: 10,
  steps: 4,
  guidance: 7,
  sampler: 'euler',
});

describe('batches', () => {
  it('runs consecutive seeds from the form seed, wrapping past the largest', () => {
    expect(batchCells(base, 4).map((c) => c.settings.seed)).toEqual([10, 11, 12, 13]);
    expect(batchCells({ ...base, seed: 2 ** 32 - 1 }, 2).map((c) => c.settings.seed)).toEqual([2 ** 32 - 1, 0]);
    expect(() => batchCells(base, 17)).toThrow('Batch count must be a whole number from 1 to 16; got 17.');
  });
});

describe('X/Y grids', () => {
  it('reads lists and whole-number ranges, and sampler names or labels', () => {
    expect(axisValues({ kind: 'seed', values: '1-3, 7' })).toEqual([1, 2, 3, 7]);
    expect(axisValues({ kind: 'guidance', values: '1.5, 7' })).toEqual([1.5, 7]);
    expect(axisValues({ kind: 'sampler', values: 'euler, DPM++ 2M' })).toEqual(['euler', 'dpmpp_2m']);
    expect(() => axisValues({ kind: 'steps', values: '2.5' })).toThrow('Steps: "2.5" is not a whole number.');
    expect(() => axisValues({ kind: 'sampler', values: 'unipc' })).toThrow(/Sampler: "unipc" is not one of/);
    expect(() => axisValues({ kind: 'seed', values: ' , ' })).toThrow(SeriesPlanError);
  });

  it('sets a word weight in the prompt syntax, row by row over seeds', () => {
    const cells = gridCells(base, { kind: 'weight', word: 'blue', values: '0.5, 1.5' }, { kind: 'seed', values: '1, 2' });
    expect(cells.map((c) => [c.x, c.y, c.settings.seed, c.settings.prompt])).toEqual([
      [0, 0, 1, 'a red cat and a (blue:0.5) dog'],
      [1, 0, 1, 'a red cat and a (blue:1.5) dog'],
      [0, 1, 2, 'a red cat and a (blue:0.5) dog'],
      [1, 1, 2, 'a red cat and a (blue:1.5) dog'],
    ]);
  });

  it('turns MaskDiffusion on for a strength axis, and refuses a cell a single run would refuse, naming it', () => {
    const [cell] = gridCells(base, { kind: 'maskStrength', values: '2' }, null);
    expect(cell.settings.maskDiffusion).toMatchObject({ enabled: true, strength: 2 });
    expect(() => gridCells(base, { kind: 'steps', values: '4, 500' }, null)).toThrow(
      /^Cell Steps: 500: Steps must be a whole number from 1 to 150/,
    );
    expect(() => gridCells(base, { kind: 'weight', word: 'horse', values: '2' }, null)).toThrow(
      'Word weight: "horse" is not a word of the prompt.',
    );
    expect(() => gridCells(base, { kind: 'seed', values: '1-9' }, { kind: 'steps', values: '1-8' })).toThrow(
      'The grid has 72 cells; at most 64 are run.',
    );
  });

  it("describes the grid in A1111's X/Y plot fields", () => {
    expect(gridDescription({ kind: 'weight', word: 'blue', values: '0.5, 1.5' }, { kind: 'seed', values: '1, 2' })).toEqual({
      'X Type': 'Word weight',
      'X Values': '0.5, 1.5',
      'X Word': 'blue',
      'Y Type': 'Seed',
      'Y Values': '1, 2',
    });
  });
});
