// Helpers for patcher tests: run original and patched graphs on the same inputs with real ORT sessions.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { createRng } from '../random';
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

/** Adds intermediate tensors as graph outputs so a test can read them. */
export function exposeTensors(bytes: Uint8Array, names: string[]): Uint8Array {
  const model = decodeModel(bytes);
  for (const name of names) model.graph.output.push({ name, type: { tensor_type: { elem_type: TensorDataType.FLOAT } } });
  return encodeModel(model);
}
