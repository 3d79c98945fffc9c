import { describe, expect, it } from 'vitest';
import { batchLayout, guidanceWeightsFor, negativeOnlyWeights, promptOnlyWeights } from './batchLayout';

describe('batch layout', () => {
  it('puts the negative prompt first with guidance, then one row per AND part', () => {
    expect(batchLayout(true, [1.2, 0.8])).toEqual({
      rows: 3,
      unconditionalRow: 0,
      conditionalRows: [
        { row: 1, weight: 1.2 },
        { row: 2, weight: 0.8 },
      ],
    });
    expect(batchLayout(false, [1])).toEqual({ rows: 1, unconditionalRow: null, conditionalRows: [{ row: 0, weight: 1 }] });
  });

  it('weights rows as composable diffusion: uncond + g * sum w_k (cond_k - uncond)', () => {
    expect([...guidanceWeightsFor(batchLayout(true, [1]), 7.5)]).toEqual([-6.5, 7.5]);
    const and = guidanceWeightsFor(batchLayout(true, [1.25, 0.75]), 2);
    expect([...and]).toEqual([-3, 2.5, 1.5]);
    expect(and.reduce((a, w) => a + w, 0)).toBeCloseTo(1, 6);
    // Without guidance, the parts' weighted mean.
    expect([...guidanceWeightsFor(batchLayout(false, [3, 1]), 7.5)]).toEqual([0.75, 0.25]);
  });

  it('splits guidance into the prompt side (guidance 1) and the negative side, for any number of parts', () => {
    expect([...promptOnlyWeights(batchLayout(true, [1]))!]).toEqual([0, 1]);
    expect([...promptOnlyWeights(batchLayout(true, [0.5, 0.25]))!]).toEqual([0.25, 0.5, 0.25]);
    expect([...negativeOnlyWeights(batchLayout(true, [0.5, 0.25]))!]).toEqual([1, 0, 0]);
    expect(promptOnlyWeights(batchLayout(false, [1, 1]))).toBeNull();
    expect(negativeOnlyWeights(batchLayout(false, [1]))).toBeNull();
  });
});
