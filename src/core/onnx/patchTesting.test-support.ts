// Helpers for patcher tests: run original and patched graphs on the same inputs with real ORT sessions.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { createRng } from '../random';
import { elementTypeOf } from './elementType';
import { GraphEditor } from './graphEditor';
import { decodeModel, encodeModel, TensorDataType } from './onnxProto';
import { PATCHED_INPUTS as IN } from './patchContract';

export const repoRoot = new URL('../../../', import.meta.url);
export const readRepoFile = (path: string) => new Uint8Array(readFileSync(new URL(path, repoRoot)));

export const LATENT = 16;
export const TOKENS = 77;

export function randomTensor(dims: number[], seed: number, scale = 1): ort.Tensor {
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  createRng(seed).fillNormal(data);
  for (let i = 0; i < data.length; i++) data[i] *= scale;
  return new ort.Tensor('float32', data, dims);
}

export function filled(dims: number[], value: number | ((i: number) => number)): ort.Tensor {
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = typeof value === 'number' ? value : value(i);
  return new ort.Tensor('float32', data, dims);
}

export function baseFeeds(batch = 2, textDim = 64): Record<string, ort.Tensor> {
  return {
    sample: randomTensor([batch, 4, LATENT, LATENT], 1),
    timestep: new ort.Tensor('float32', new Float32Array(batch).fill(600), [batch]),
    encoder_hidden_states: randomTensor([batch, TOKENS, textDim], 2),
  };
}

/** Inputs that make the patched graph an identity: strengths 0, gains 1 (masks deliberately non-zero). */
export function neutralPatchFeeds(batch = 2): Record<string, ort.Tensor> {
  return {
    [IN.crossMask]: filled([batch, TOKENS, LATENT, LATENT], (i) => (i % 3) * 0.5),
    [IN.crossStrength]: filled([batch], 0),
    [IN.crossSuppress]: filled([batch], 0),
    [IN.crossReference]: filled([batch], 0),
    [IN.tokenGain]: filled([batch, TOKENS], 1),
    [IN.selfMask]: filled([batch, 2, LATENT, LATENT], (i) => i % 2),
    [IN.selfStrength]: filled([batch], 0),
  };
}

export async function session(bytes: Uint8Array): Promise<ort.InferenceSession> {
  ort.env.wasm.numThreads = 1;
  return ort.InferenceSession.create(bytes);
}

/** Only the feeds a session declares (the original graph has no patch inputs). */
export function feedsFor(s: ort.InferenceSession, feeds: Record<string, ort.Tensor>): Record<string, ort.Tensor> {
  return Object.fromEntries(s.inputNames.map((n) => [n, feeds[n]]));
}

export function maxAbsDiff(a: ort.Tensor, b: ort.Tensor): number {
  const x = a.data as Float32Array;
  const y = b.data as Float32Array;
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

/** Adds intermediate tensors as graph outputs, in their own element type, so a test can read them. */
export function exposeTensors(bytes: Uint8Array, names: string[]): Uint8Array {
  const model = decodeModel(bytes);
  const g = new GraphEditor(model.graph);
  for (const name of names)
    model.graph.output.push({ name, type: { tensor_type: { elem_type: elementTypeOf(g, name) ?? TensorDataType.FLOAT } } });
  return encodeModel(model);
}

// --- fixture families (models/fixtures/families): any dtype, static or symbolic dims ---

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE binary16 bits of a number, rounded to nearest even (Node 20 has no Float16Array). */
export function toHalfBits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  const mant = x & 0x7fffff;
  if (exp >= 31) return sign | 0x7c00 | (((x >>> 23) & 0xff) === 0xff && mant ? 0x200 : 0);
  if (exp <= 0) {
    if (exp < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - exp;
    const half = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && half & 1) ? 1 : 0));
  }
  const half = (exp << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

export function fromHalfBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 31;
  const mant = bits & 1023;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** A tensor's values as numbers, whatever its float type. */
export function floats(t: ort.Tensor): Float32Array {
  if (t.type === 'float16') return Float32Array.from(t.data as Uint16Array, fromHalfBits);
  return Float32Array.from(t.data as ArrayLike<number>);
}

export function typedTensor(type: string, values: ArrayLike<number>, dims: number[]): ort.Tensor {
  if (type === 'float16') return new ort.Tensor('float16', Uint16Array.from(values, toHalfBits), dims);
  if (type === 'int64')
    return new ort.Tensor(
      'int64',
      BigInt64Array.from(values, (v) => BigInt(Math.round(v))),
      dims,
    );
  if (type === 'int32') return new ort.Tensor('int32', Int32Array.from(values), dims);
  return new ort.Tensor('float32', Float32Array.from(values), dims);
}

/** UNet feeds in the session's own dtypes and static dims; symbolic dims (batch_size, steps) become `batch`. */
export function denoiserFeeds(s: ort.InferenceSession, batch: number): { feeds: Record<string, ort.Tensor>; batch: number } {
  const feeds: Record<string, ort.Tensor> = {};
  const meta = s.inputMetadata.flatMap((m) => (m.isTensor ? [m] : []));
  const staticBatch = meta.find((m) => m.name === 'sample')!.shape[0];
  if (typeof staticBatch === 'number') batch = staticBatch;
  for (const m of meta) {
    const dims = m.shape.map((d, i) =>
      typeof d === 'number' ? d : i === 0 ? batch : m.name === 'sample' ? (i === 1 ? 4 : LATENT) : TOKENS,
    );
    const count = dims.reduce((a, b) => a * b, 1);
    const values =
      m.name === 'timestep'
        ? Array.from({ length: count }, (_, i) => 999 - 400 * i)
        : (randomTensor([count], m.name === 'sample' ? 1 : 2).data as Float32Array);
    feeds[m.name] = typedTensor(m.type, values, dims);
  }
  return { feeds, batch };
}

export function maxAbsDiffAny(a: ort.Tensor, b: ort.Tensor): number {
  const x = floats(a);
  const y = floats(b);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

export { FIXTURE_FAMILIES } from '../../../scripts/hub-server/server.mjs';
export const familyUnet = (family: string) => readRepoFile(`models/fixtures/families/${family}/unet/model.onnx`);
/** The optimizer forms' packed MHA does not run on ORT's CPU kernels: their unfused twin (same weights) is the reference. */
export const familyReferenceUnet = (family: string) =>
  family.startsWith('optimizer-') ? readRepoFile(`models/fixtures/reference/${family}-unet-plain.onnx`) : familyUnet(family);

/**
 * How far a patched graph with neutral inputs may be from the plain one, by the precision of its compute (its output's
 * or its attention's).
 * fp32: 1e-5 (the contract). fp16: two ulps at |out| < 2 (2^-9). fp16 compute is not bit-exact on ORT's CPU kernels:
 * they run fp16 nodes in fp32 between Casts ORT inserts and then drops where it can, so where intermediates are rounded
 * back to fp16 depends on the graph's shape, and the patched graph's row Slice and Where round some the plain one does
 * not (measured up to 9.8e-4, one ulp at |out| ≈ 1; the optimizer-mha-fp16 reference is also its unfused twin).
 */
export function neutralPatchBound(graph: Uint8Array): number {
  const g = new GraphEditor(decodeModel(graph).graph);
  const softmax = g.graph.node.find((n) => n.op_type === 'Softmax'); // none where attention is fused
  const fp16Output = g.graph.output[0]?.type?.tensor_type?.elem_type === TensorDataType.FLOAT16;
  return fp16Output || (softmax && elementTypeOf(g, softmax.input[0]) === TensorDataType.FLOAT16) ? 2 ** -9 : 1e-5;
}
