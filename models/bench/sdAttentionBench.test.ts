// The TypeScript bench graph is a denoiser the patcher understands and ORT runs (on a narrow copy, for speed).
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../../src/core/onnx/onnxProto';
import { patchDenoiser } from '../../src/core/onnx/patchDenoiser';
import { PATCHED_INPUTS as IN } from '../../src/core/onnx/patchContract';
import { createRng } from '../../src/core/random';
import { makeSdAttentionBench } from './sdAttentionBench';

const NARROW = [64, 128, 256] as const;

function normal(dims: number[], seed: number): ort.Tensor {
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  createRng(seed).fillNormal(data);
  return new ort.Tensor('float32', data, dims);
}

describe('makeSdAttentionBench', () => {
  it('is deterministic and has the UNet I/O names', () => {
    const bytes = makeSdAttentionBench(NARROW);
    expect(Buffer.from(makeSdAttentionBench(NARROW)).equals(Buffer.from(bytes))).toBe(true); // toEqual walks bytes one by one: too slow
    const { graph } = decodeModel(bytes);
    expect(graph.input.map((i) => i.name)).toEqual(['sample', 'timestep', 'encoder_hidden_states']);
    expect(graph.output.map((o) => o.name)).toEqual(['out_sample']);
    expect(graph.node.filter((n) => n.op_type === 'Softmax')).toHaveLength(6);
  });

  it('patches into 3 cross- and 3 self-attention layers at 32x32, 32x32 and 16x16', () => {
    const { report } = patchDenoiser(makeSdAttentionBench(NARROW));
    expect(report.crossLayers.map((l) => l.level)).toEqual([0, 0, 1]);
    expect(report.selfLayers.length + report.selfLayersUnmasked).toBe(3);
  });

  it('runs in ORT, plain and patched with masking active, to finite latents of the input shape', async () => {
    ort.env.wasm.numThreads = 1;
    const bytes = makeSdAttentionBench(NARROW);
    const feeds = {
      sample: normal([2, 4, 32, 32], 1),
      timestep: new ort.Tensor('float32', new Float32Array([500, 500]), [2]),
      encoder_hidden_states: normal([2, 77, 768], 2),
    };
    const plain = await ort.InferenceSession.create(bytes);
    const out = (await plain.run(feeds)).out_sample;
    expect(out.dims).toEqual([2, 4, 32, 32]);
    expect((out.data as Float32Array).every(Number.isFinite)).toBe(true);

    const patched = await ort.InferenceSession.create(patchDenoiser(bytes).bytes);
    const mask = new Float32Array(2 * 77 * 32 * 32).map((_, i) => i % 2);
    const masked = (
      await patched.run({
        ...feeds,
        [IN.crossMask]: new ort.Tensor('float32', mask, [2, 77, 32, 32]),
        [IN.crossStrength]: new ort.Tensor('float32', new Float32Array([0, 0.5]), [2]),
        [IN.crossSuppress]: new ort.Tensor('float32', new Float32Array([0, 0.5]), [2]),
        [IN.crossReference]: new ort.Tensor('float32', new Float32Array([0, 0]), [2]),
        [IN.tokenGain]: new ort.Tensor('float32', new Float32Array(2 * 77).fill(1), [2, 77]),
        ...(patched.inputNames.includes(IN.selfMask)
          ? {
              [IN.selfMask]: new ort.Tensor(
                'float32',
                new Float32Array(2 * 2 * 32 * 32).map((_, i) => i % 2),
                [2, 2, 32, 32],
              ),
              [IN.selfStrength]: new ort.Tensor('float32', new Float32Array([0, 0.15]), [2]),
            }
          : {}),
      })
    ).out_sample;
    const maskedData = masked.data as Float32Array;
    expect(maskedData.every(Number.isFinite)).toBe(true);
    // Batch item 0 has strength 0 (identity), item 1 is masked: only the second half may differ from the plain run.
    const half = maskedData.length / 2;
    const plainData = out.data as Float32Array;
    let firstHalfDiff = 0;
    let secondHalfDiff = 0;
    for (let i = 0; i < half; i++) firstHalfDiff = Math.max(firstHalfDiff, Math.abs(maskedData[i] - plainData[i]));
    for (let i = half; i < maskedData.length; i++) secondHalfDiff = Math.max(secondHalfDiff, Math.abs(maskedData[i] - plainData[i]));
    expect(firstHalfDiff).toBeLessThan(1e-4);
    expect(secondHalfDiff).toBeGreaterThan(1e-3);
    await Promise.all([plain.release(), patched.release()]);
  });
});
