// Half-precision conversion matches onnxruntime's own Cast (float -> float16 -> float) on the same values.
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { encodeModel, TensorDataType } from '../onnx/onnxProto';
import { float16BitsToFloat32, float32ToFloat16Bits } from './float16';

describe('float16 conversion', () => {
  it('round-trips every finite half exactly', () => {
    const all = Uint16Array.from({ length: 0x10000 }, (_, i) => i).filter((h) => ((h >>> 10) & 0x1f) !== 0x1f);
    expect(Array.from(float32ToFloat16Bits(float16BitsToFloat32(all)))).toEqual(Array.from(all));
  });

  it('knows the landmarks: 1, -2, 65504, the smallest subnormal, overflow, NaN, round half to even', () => {
    const bits = float32ToFloat16Bits([1, -2, 65504, 2 ** -24, 70000, NaN, 1 + 2 ** -11, 1 + 3 * 2 ** -11]);
    expect(Array.from(bits.slice(0, 5))).toEqual([0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00]);
    expect(Number.isNaN(float16BitsToFloat32([bits[5]])[0])).toBe(true);
    expect(bits[6]).toBe(0x3c00); // tie, even neighbour below
    expect(bits[7]).toBe(0x3c02); // tie, even neighbour above
  });

  it('agrees with onnxruntime-web casting the same float32 values to float16', async () => {
    const values = Float32Array.from({ length: 4096 }, (_, i) => Math.sin(i * 12.9898) * 10 ** ((i % 13) - 6));
    const session = await ort.InferenceSession.create(castGraph(), { executionProviders: ['wasm'] });
    const out = await session.run({ x: new ort.Tensor('float32', values, [values.length]) });
    expect(Array.from(float32ToFloat16Bits(values))).toEqual(Array.from(out.y.data as Uint16Array));
    await session.release();
  });
});

/** A one-node ONNX graph: y = Cast(x: float[4096], to float16). */
function castGraph(): Uint8Array {
  const io = (name: string, type: number) => ({ name, type: { tensor_type: { elem_type: type, shape: { dim: [{ dim_value: 4096 }] } } } });
  return encodeModel({
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    graph: {
      name: 'cast',
      node: [
        {
          name: 'cast',
          op_type: 'Cast',
          domain: '',
          input: ['x'],
          output: ['y'],
          attribute: [{ name: 'to', type: 2, i: TensorDataType.FLOAT16 }],
        },
      ],
      initializer: [],
      input: [io('x', TensorDataType.FLOAT)],
      output: [io('y', TensorDataType.FLOAT16)],
      value_info: [],
    },
  });
}
