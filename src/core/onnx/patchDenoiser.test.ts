// The attention patcher on real graphs: identity when neutral, the published formulas when active, refusals.
import type * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { UnpatchableGraphError } from './findAttention';
import { decodeModel, encodeModel } from './onnxProto';
import { MASK_THRESHOLD, PATCHED_INPUTS as IN } from './patchContract';
import { patchDenoiser } from './patchDenoiser';
import {
  baseFeeds,
  denoiserFeeds,
  exposeTensors,
  floats,
  feedsFor,
  filled,
  LATENT,
  maxAbsDiff,
  neutralPatchFeeds,
  readRepoFile,
  session,
  TOKENS,
} from './patchTesting.test-support';

const tinyUnet = () => readRepoFile('public/models/tiny-sd/unet/model.onnx');

async function expectIdentity(original: Uint8Array) {
  const { bytes, report } = patchDenoiser(original);
  const [plain, patched] = await Promise.all([session(original), session(bytes)]);
  const feeds = { ...baseFeeds(), ...neutralPatchFeeds() };
  const a = await plain.run(feedsFor(plain, feeds));
  const b = await patched.run(feedsFor(patched, feeds));
  const diff = maxAbsDiff(a.out_sample, b.out_sample);
  console.log(`patched vs original max abs diff: ${diff}`);
  expect(diff).toBeLessThanOrEqual(1e-5);
  expect(b.attn_maps.dims).toEqual([2, TOKENS, LATENT / 2, LATENT / 2]);
  return report;
}

describe('patched graph equals the original with strengths 0 and gains 1', () => {
  it('tiny UNet, fp32 (plain MatMul/Softmax/MatMul attention)', async () => {
    const report = await expectIdentity(tinyUnet());
    expect(report.crossLayers.map((l) => l.level)).toEqual([0, 1, 1, 1, 0]);
    expect(report).toMatchObject({ selfLayersUnmasked: 2, mapsLevel: 1, mapsLayers: 3, unfusedCrossLayers: 0 });
    expect(report.selfLayers.map((l) => l.level)).toEqual([1, 1, 1]);
  });

  it('tiny UNet, int8 weights (DequantizeLinear projections)', async () => {
    await expectIdentity(readRepoFile('public/models/tiny-sd/unet/model_int8.onnx'));
  });

  it('tiny UNet with fused com.microsoft MultiHeadAttention', async () => {
    const report = await expectIdentity(readRepoFile('models/fixtures/unet_mha.onnx'));
    expect(report).toMatchObject({ unfusedCrossLayers: 5, selfLayers: [], selfLayersUnmasked: 5 });
  });
});

describe('token gain scales the V rows of its token, in every cross-attention layer', () => {
  it.each([
    ['tiny UNet, fp32, 4-D attention', 'public/models/tiny-sd/unet/model.onnx', true],
    ['tiny UNet, int8 projections', 'public/models/tiny-sd/unet/model_int8.onnx', true],
    ['tiny UNet with fused MultiHeadAttention', 'models/fixtures/unet_mha.onnx', true],
    ['SD-Turbo export, 3-D baddbmm attention', 'models/fixtures/families/sd-turbo-ort-web-baddbmm/unet/model.onnx', true],
    [
      'optimizer form, packed K and V: the gain scales V in the layer',
      'models/fixtures/families/optimizer-mha-fp32/unet/model.onnx',
      false,
    ],
    ['optimizer form in fp16', 'models/fixtures/families/optimizer-mha-fp16/unet/model.onnx', false],
  ])('%s', async (_name, path, onText) => {
    const { bytes, report } = patchDenoiser(readRepoFile(path));
    expect(report.crossLayers.map((l) => l.gainOnText)).toEqual(report.crossLayers.map(() => onText));
    const patched = await session(
      exposeTensors(
        bytes,
        report.crossLayers.map((l) => l.values),
      ),
    );
    const { feeds, batch } = denoiserFeeds(patched, 2);
    const gainOf = (row: number, token: number) => (row === batch - 1 && token === 2 ? 1.7 : row === 0 && token === 5 ? 0.5 : 1);
    const all = feedsFor(patched, { ...feeds, ...neutralPatchFeeds(batch) });
    const neutral = await patched.run(all);
    const weighted = await patched.run({
      ...all,
      [IN.tokenGain]: filled([batch, TOKENS], (i) => gainOf(Math.floor(i / TOKENS), i % TOKENS)),
    });
    for (const { values } of report.crossLayers) {
      // V is [B, heads, T, d] or [B*heads, T, d], batch-major: row b is the b-th of `batch` equal parts.
      const dims = neutral[values].dims;
      expect(dims[dims.length - 2]).toBe(TOKENS);
      const d = dims[dims.length - 1];
      const [a, b] = [floats(neutral[values]), floats(weighted[values])];
      let worst = 0;
      for (let i = 0; i < a.length; i++) {
        const gain = gainOf(Math.floor((i * batch) / a.length), Math.floor(i / d) % TOKENS);
        worst = Math.max(worst, Math.abs(b[i] - gain * a[i]) / (1 + Math.abs(a[i])));
      }
      expect(worst).toBeLessThan(neutral[values].type === 'float16' ? 2 ** -9 : 1e-5);
    }
  });
});

/** TypeScript reference of maskdiffusion.md item 4 on scores viewed as [B, heads, N, T]. */
function referenceModulation(
  s: Float32Array,
  m: Float32Array,
  dims: number[],
  lambda: number[],
  suppress: number[],
  reference: number[],
): Float32Array {
  const [batch, heads, n, t] = dims;
  const out = new Float32Array(s.length);
  for (let b = 0; b < batch; b++)
    for (let h = 0; h < heads; h++)
      for (let i = 0; i < n; i++) {
        const row = ((b * heads + h) * n + i) * t;
        let max = -Infinity;
        let min = Infinity;
        for (let k = 0; k < t; k++) (max = Math.max(max, s[row + k])), (min = Math.min(min, s[row + k]));
        for (let k = 0; k < t; k++) {
          const mask = m[(b * n + i) * t + k];
          const x = s[row + k];
          let y = x + lambda[b] * (mask > MASK_THRESHOLD ? 1 : 0) * mask * (max - x);
          y -= (mask === 0 ? 1 : 0) * suppress[b] * (x - min);
          y += reference[b] * (mask >= MASK_THRESHOLD ? 1 : 0) * x;
          out[row + k] = y;
        }
      }
  return out;
}

describe('modulation formula', () => {
  let patched: ort.InferenceSession;
  let layer: { level: number; scores: string; modulatedScores: string };
  beforeAll(async () => {
    const { bytes, report } = patchDenoiser(tinyUnet());
    layer = report.crossLayers.find((l) => l.level === 1)!;
    patched = await session(exposeTensors(bytes, [layer.scores, layer.modulatedScores]));
  });

  /** Runs the patched graph on `batch` rows, every row masked and given the strengths at its index. */
  async function modulate(batch: number, lambda: number[], suppress: number[], reference: number[]) {
    const values = [0, 0.01, 0.2, 1];
    const mask = filled([batch, TOKENS, LATENT, LATENT], (i) => values[(i * 7919) % 4]);
    const out = await patched.run({
      ...baseFeeds(batch),
      ...neutralPatchFeeds(batch),
      [IN.crossMask]: mask,
      [IN.crossStrength]: filled([batch], (i) => lambda[i]),
      [IN.crossSuppress]: filled([batch], (i) => suppress[i]),
      [IN.crossReference]: filled([batch], (i) => reference[i]),
    });
    const scores = out[layer.scores];
    const n = (LATENT / 2) ** 2;
    expect(scores.dims).toEqual([batch, scores.dims[1], n, TOKENS]);
    // The mask at this layer's resolution (level 1: every other pixel), tokens last: [B, N, T].
    const m = new Float32Array(batch * n * TOKENS);
    const md = mask.data as Float32Array;
    for (let b = 0; b < batch; b++)
      for (let y = 0; y < LATENT / 2; y++)
        for (let x = 0; x < LATENT / 2; x++)
          for (let k = 0; k < TOKENS; k++)
            m[(b * n + y * (LATENT / 2) + x) * TOKENS + k] = md[((b * TOKENS + k) * LATENT + 2 * y) * LATENT + 2 * x];
    const raw = scores.data as Float32Array;
    const expected = referenceModulation(raw, m, scores.dims as number[], lambda, suppress, reference);
    return { raw, expected, actual: out[layer.modulatedScores].data as Float32Array, rowSize: raw.length / batch };
  }

  function worstError(expected: Float32Array, actual: Float32Array, from: number): number {
    let worst = 0;
    for (let i = from; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / (1 + Math.abs(expected[i])));
    return worst;
  }

  it.each([
    ['corrected', 0],
    ['reference (extra S·[M≥0.05] term)', 1],
  ])(
    "the graph computes the %s formula on the prompt's row, the batch's last; the negative prompt's passes unchanged",
    async (_name, ref) => {
      // Both rows masked and given strengths: only the last is modulated (patchContract.ts).
      const { raw, expected, actual, rowSize } = await modulate(2, [0.6, 0.8], [0.4, 0.5], [ref, ref]);
      expect(worstError(expected, actual, rowSize)).toBeLessThan(1e-5);
      expect(Array.from(actual.subarray(0, rowSize))).toEqual(Array.from(raw.subarray(0, rowSize)));
    },
  );

  it('modulates a batch of one (no classifier-free guidance: the prompt alone)', async () => {
    const { expected, actual } = await modulate(1, [0.8], [0.5], [0]);
    expect(worstError(expected, actual, 0)).toBeLessThan(1e-5);
  });
});

/** Softmax of each row of `t` values. */
function softmaxRows(x: Float32Array, t: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let row = 0; row < x.length; row += t) {
    let max = -Infinity;
    for (let k = 0; k < t; k++) max = Math.max(max, x[row + k]);
    let sum = 0;
    for (let k = 0; k < t; k++) sum += out[row + k] = Math.exp(x[row + k] - max);
    for (let k = 0; k < t; k++) out[row + k] /= sum;
  }
  return out;
}

describe('self-attention modulation', () => {
  it('the probabilities of a masked self-attention layer are those of the DenseDiffusion formula', async () => {
    const { bytes, report } = patchDenoiser(tinyUnet());
    const layer = report.selfLayers[0];
    const patched = await session(exposeTensors(bytes, [layer.scores, layer.modulatedScores]));
    // Two objects: the left half and the top half of the latent, so pairs share one object, both or none.
    const selfMask = filled([2, 2, LATENT, LATENT], (i) => {
      const [object, y, x] = [Math.floor(i / (LATENT * LATENT)) % 2, Math.floor(i / LATENT) % LATENT, i % LATENT];
      return (object === 0 ? x < LATENT / 2 : y < LATENT / 2) ? 1 : 0;
    });
    const strength = [0, 0.6];
    const out = await patched.run({
      ...baseFeeds(),
      ...neutralPatchFeeds(),
      [IN.selfMask]: selfMask,
      [IN.selfStrength]: filled([2], (i) => strength[i]),
    });
    const scores = out[layer.scores];
    const [batch, heads, n, keys] = scores.dims as number[];
    const side = LATENT / 2 ** layer.level;
    expect([batch, n, keys]).toEqual([2, side * side, side * side]);
    // The object masks at the layer's resolution (every 2^level-th pixel), then P = sum_k m_k m_kᵀ > 0.
    const md = selfMask.data as Float32Array;
    const at = (b: number, k: number, pixel: number) => {
      const [y, x] = [Math.floor(pixel / side) * 2 ** layer.level, (pixel % side) * 2 ** layer.level];
      return md[((b * 2 + k) * LATENT + y) * LATENT + x];
    };
    const s = scores.data as Float32Array;
    const expected = new Float32Array(s.length);
    for (let b = 0; b < batch; b++)
      for (let h = 0; h < heads; h++)
        for (let i = 0; i < n; i++) {
          const row = ((b * heads + h) * n + i) * keys;
          const rowScores = s.subarray(row, row + keys);
          const [max, min] = [Math.max(...rowScores), Math.min(...rowScores)];
          for (let j = 0; j < keys; j++) {
            const together = at(b, 0, i) * at(b, 0, j) + at(b, 1, i) * at(b, 1, j) > 0;
            const x = s[row + j];
            const w = strength[b];
            expected[row + j] = together ? x + w * (max - x) : x - w * (x - min);
          }
        }
    const want = softmaxRows(expected, keys);
    const got = softmaxRows(out[layer.modulatedScores].data as Float32Array, keys);
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(want[i] - got[i]));
    expect(worst).toBeLessThan(1e-5);
    // The formula moved the conditional half's probabilities (so the comparison above is not of two unmodulated runs).
    const raw = softmaxRows(s, keys);
    let moved = 0;
    for (let i = want.length / 2; i < want.length; i++) moved = Math.max(moved, Math.abs(raw[i] - want[i]));
    expect(moved).toBeGreaterThan(0.01);
  });
});

describe('refusals', () => {
  it('refuses attention it cannot recognise, with the reason', () => {
    const model = decodeModel(tinyUnet());
    const softmax = model.graph.node.find((n) => n.op_type === 'Softmax')!;
    model.graph.node.splice(model.graph.node.indexOf(softmax), 0, {
      name: 'odd',
      op_type: 'Exp',
      domain: '',
      input: [softmax.input[0]],
      output: ['odd_scores'],
      attribute: [],
    });
    softmax.input[0] = 'odd_scores';
    expect(() => patchDenoiser(encodeModel(model))).toThrow(UnpatchableGraphError);
    expect(() => patchDenoiser(encodeModel(model))).toThrow(/does not take Q·Kᵀ scores from a MatMul \(found Exp\)/);
  });

  it('refuses a graph without a denoiser interface, a patched graph, and bytes that are not ONNX', () => {
    expect(() => patchDenoiser(readRepoFile('public/models/tiny-sd/text_encoder/model.onnx'))).toThrow(/has no "sample" input/);
    const once = patchDenoiser(tinyUnet()).bytes;
    expect(() => patchDenoiser(once)).toThrow(/patched before/);
    expect(() => patchDenoiser(new TextEncoder().encode('<!doctype html><html>not a model</html>'))).toThrow(/not an ONNX model/);
  });
});
