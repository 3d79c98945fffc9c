// DAAM aggregation: sum over steps, mean over sub-tokens, normalised to a maximum of 1.
import { describe, expect, it } from 'vitest';
import { heatColour, wordHeatmap, type AttentionMapsRun } from './wordHeatmap';

const run: AttentionMapsRun = {
  tokens: 3,
  width: 2,
  height: 1,
  perStep: [
    Float32Array.from([0, 0, 1, 3, 2, 2]), // step 0: token0 [0,0], token1 [1,3], token2 [2,2]
    Float32Array.from([0, 0, 3, 1, 0, 4]), // step 1
  ],
};

describe('wordHeatmap', () => {
  it("sums over steps and averages a word's sub-tokens before normalising", () => {
    // tokens 1 and 2, both steps: token1 sum [4,4], token2 sum [2,6] -> mean [3,5] -> /5
    expect(Array.from(wordHeatmap(run, [1, 2], null))).toEqual([0.6, 1].map(Math.fround));
  });

  it('can show one step', () => {
    expect(Array.from(wordHeatmap(run, [1], [0]))).toEqual([1 / 3, 1].map(Math.fround));
  });

  it('keeps an all-zero map at zero instead of dividing by zero', () => {
    expect(Array.from(wordHeatmap(run, [0], null))).toEqual([0, 0]);
  });

  it('maps 0 to transparent and 1 to opaque red', () => {
    expect(heatColour(0, 200)[3]).toBe(0);
    expect(heatColour(1, 200)).toEqual([255, 0, 0, 200]);
  });
});
