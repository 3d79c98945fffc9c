// Emphasis maths against references written straight from the published formulas with nested loops in doubles.
import { describe, expect, it } from 'vitest';
import { applyA1111Emphasis, applyLerpFromEmpty, attentionGains, EMPHASIS_MODES } from './emphasisMath';

const T = 7;
const D = 5;

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** A [T][D] matrix with a non-zero mean, as text-encoder outputs have. */
function randomRows(seed: number, offset = 0.2): number[][] {
  const random = seeded(seed);
  return Array.from({ length: T }, () => Array.from({ length: D }, () => random() * 2 - 1 + offset));
}

const flat = (rows: number[][]) => Float32Array.from(rows.flat());
const WEIGHTS = [1, 1.1, 1.21, 1 / 1.1, 1.5, 0.5, 1];

function expectClose(actual: Float32Array, expected: number[][]) {
  expect(actual).toHaveLength(T * D);
  expected.flat().forEach((value, i) => expect(actual[i]).toBeCloseTo(value, 5));
}

describe('applyA1111Emphasis', () => {
  const rows = randomRows(1);

  it('original mode: multiply each token row by its weight, then rescale to the original mean', () => {
    let originalSum = 0;
    for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) originalSum += rows[t][d];
    const scaled = rows.map((row, t) => row.map((v) => v * WEIGHTS[t]));
    let scaledSum = 0;
    for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) scaledSum += scaled[t][d];
    const factor = originalSum / T / D / (scaledSum / T / D);
    const expected = scaled.map((row) => row.map((v) => v * factor));
    const out = applyA1111Emphasis(flat(rows), WEIGHTS);
    expectClose(out, expected);
    expect(factor).not.toBeCloseTo(1, 3); // the rescale is doing something in this case
    const outMean = out.reduce((a, b) => a + b, 0) / out.length;
    expect(outMean).toBeCloseTo(originalSum / T / D, 5);
  });

  it('no-norm mode only multiplies', () => {
    const expected = rows.map((row, t) => row.map((v) => v * WEIGHTS[t]));
    expectClose(applyA1111Emphasis(flat(rows), WEIGHTS, 'noNorm'), expected);
  });

  it('weights of 1 leave the embedding unchanged and the input is not modified', () => {
    const z = flat(rows);
    const copy = z.slice();
    expect(applyA1111Emphasis(z, new Array(T).fill(1))).toEqual(copy);
    applyA1111Emphasis(z, WEIGHTS);
    expect(z).toEqual(copy);
  });

  it('skips the rescale when the weighted mean is zero instead of producing Inf', () => {
    const out = applyA1111Emphasis(flat(rows), new Array(T).fill(0));
    expect(Array.from(out).every((v) => v === 0)).toBe(true);
  });

  it('rejects an embedding that does not split into the weight rows', () => {
    expect(() => applyA1111Emphasis(new Float32Array(10), [1, 1, 1])).toThrow(RangeError);
  });
});

describe('applyLerpFromEmpty', () => {
  const rows = randomRows(2);
  const empty = randomRows(3, -0.1);

  it('computes z_empty + w (z - z_empty) per token', () => {
    const expected = rows.map((row, t) => row.map((v, d) => empty[t][d] + WEIGHTS[t] * (v - empty[t][d])));
    expectClose(applyLerpFromEmpty(flat(rows), flat(empty), WEIGHTS), expected);
  });

  it('w = 1 gives the prompt, w = 0 the empty prompt', () => {
    const weights = [1, 0, 1, 0, 1, 0, 1];
    const expected = rows.map((row, t) => (weights[t] === 1 ? row : empty[t]));
    expectClose(applyLerpFromEmpty(flat(rows), flat(empty), weights), expected);
  });

  it('rejects an empty-prompt embedding of another size', () => {
    expect(() => applyLerpFromEmpty(flat(rows), new Float32Array(3), WEIGHTS)).toThrow(RangeError);
  });
});

describe('attentionGains', () => {
  it('is the weight per token, as float32, in a new array', () => {
    const weights = Float32Array.from(WEIGHTS);
    const gains = attentionGains(weights);
    expect(gains).toHaveLength(T);
    WEIGHTS.forEach((w, i) => expect(gains[i]).toBeCloseTo(w, 6));
    gains[0] = 9;
    expect(weights[0]).toBe(1);
  });
});

describe('EMPHASIS_MODES', () => {
  it('names the three modes with their labels', () => {
    expect(Object.fromEntries(Object.entries(EMPHASIS_MODES).map(([k, v]) => [k, v.label]))).toEqual({
      embeddingScaling: 'Embedding scaling (A1111)',
      lerpFromEmpty: 'Lerp from empty prompt (ComfyUI/Compel)',
      attentionGain: 'Attention gain (Prompt-to-Prompt)',
    });
    expect(EMPHASIS_MODES.lerpFromEmpty.needsEmptyPrompt).toBe(true);
    expect(EMPHASIS_MODES.attentionGain.actsOn).toBe('attention');
  });
});
