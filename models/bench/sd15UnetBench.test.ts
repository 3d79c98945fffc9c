// The SD-1.5-sized bench UNet (on narrow copies): the layout is a runnable graph, its fp16 form is all FLOAT16 weights
// the patcher finds SD 1.5's 16 transformer blocks in, and the streamed file is byte for byte what encodeModel gives.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, TensorDataType } from '../../src/core/onnx/onnxProto';
import { patchModel } from '../../src/core/onnx/patchDenoiser';
import { float16BitsToFloat32 } from '../../src/core/ort/float16';
import { createRng } from '../../src/core/random';
import { makeSd15Unet } from './sd15UnetBench';
import { makeSdAttentionBench } from './sdAttentionBench';
import { writeModelFile } from './writeModelFile';

const NARROW = [32, 64, 96, 96] as const;
const dir = mkdtempSync(join(tmpdir(), 'sd15-unet-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('makeSd15Unet', () => {
  it('runs in ORT (fp32) from 8x8 latents to latents of the same shape', async () => {
    ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(encodeModel(makeSd15Unet({ channels: NARROW })));
    const sample = new Float32Array(4 * 8 * 8);
    const text = new Float32Array(77 * 768);
    createRng(1).fillNormal(sample);
    createRng(2).fillNormal(text);
    const { out_sample } = await session.run({
      sample: new ort.Tensor('float32', sample, [1, 4, 8, 8]),
      timestep: new ort.Tensor('float32', new Float32Array([500]), [1]),
      encoder_hidden_states: new ort.Tensor('float32', text, [1, 77, 768]),
    });
    expect(out_sample.dims).toEqual([1, 4, 8, 8]);
    expect((out_sample.data as Float32Array).every(Number.isFinite)).toBe(true);
    await session.release();
  });

  it('in fp16 has FLOAT16 weights and I/O, finite and within the init bound, and patches like SD 1.5', () => {
    const model = makeSd15Unet({ channels: NARROW, float16: true });
    const floatTypes = new Set(model.graph.initializer.filter((t) => t.data_type !== TensorDataType.INT64).map((t) => t.data_type));
    // Resize scales are float by the ONNX spec; every other float tensor is FLOAT16.
    const floatInits = model.graph.initializer.filter((t) => t.data_type === TensorDataType.FLOAT);
    expect(floatInits.every((t) => t.name.endsWith('up_scales'))).toBe(true);
    expect(floatTypes).toEqual(new Set([TensorDataType.FLOAT16, TensorDataType.FLOAT]));
    expect(new Set(model.graph.input.map((i) => i.type?.tensor_type?.elem_type))).toEqual(new Set([TensorDataType.FLOAT16]));
    const conv = model.graph.initializer.find((t) => t.name === 'down_blocks.1.0.resnet.conv1.weight')!;
    const weights = float16BitsToFloat32(new Uint16Array(conv.raw_data!.slice().buffer));
    const bound = 1 / Math.sqrt(NARROW[0] * 9);
    expect(weights.every((w) => Math.abs(w) < bound && Math.abs(w) >= bound / 4)).toBe(true);
    expect(weights.some((w) => w < 0) && weights.some((w) => w > 0)).toBe(true);

    const report = patchModel(model);
    // Down 2+2+2 at levels 0-2, mid at 3, up 3+3+3 at levels 2, 1, 0; maps at 16x16 for 64x64 latents (level 2).
    expect(report.crossLayers.map((l) => l.level)).toEqual([0, 0, 1, 1, 2, 2, 3, 2, 2, 2, 1, 1, 1, 0, 0, 0]);
    expect(report).toMatchObject({ selfLayersUnmasked: 5, mapsLevel: 2, mapsLayers: 5 });
    expect(report.selfLayers).toHaveLength(11);
  });
});

describe('writeModelFile', () => {
  it.each([
    ['the fp16 SD 1.5 layout, as built', () => makeSd15Unet({ channels: NARROW, float16: true })],
    ['the fp32 attention bench, as decoded', () => decodeModel(makeSdAttentionBench([64, 128, 256]))],
  ])('writes the bytes encodeModel gives (%s)', (_, make) => {
    const model = make();
    const path = join(dir, 'model.onnx');
    const expected = encodeModel(model);
    expect(writeModelFile(path, model)).toBe(expected.byteLength);
    expect(Buffer.from(readFileSync(path)).equals(Buffer.from(expected))).toBe(true); // toEqual walks bytes one by one: too slow
  });
});
