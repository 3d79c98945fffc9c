// A synthetic ONNX model of a chosen size (a chain of MatMuls with random-looking fp32 weights), for storage benchmarks.
import { encodeModel, TensorDataType, type ModelProto } from '../../core/onnx/onnxProto';

/** Width of each square weight matrix: 1024 x 1024 fp32 = 4 MiB per layer. */
const WIDTH = 1024;

/** An ONNX graph y = x·W1·W2·…·Wn with n chosen so the file is at least `bytes` long. Input "x" [1, 1024]. */
export function syntheticMatMulModel(bytes: number): Uint8Array<ArrayBuffer> {
  const layerBytes = WIDTH * WIDTH * 4;
  const layers = Math.max(1, Math.ceil(bytes / layerBytes));
  const initializer = Array.from({ length: layers }, (_, i) => {
    const weights = new Float32Array(WIDTH * WIDTH);
    // xorshift32 noise with full mantissas, so the bytes do not compress (IndexedDB may compress values);
    // small (|w| < 1/WIDTH) so activations stay finite.
    let state = 0x9e3779b9 ^ (i + 1);
    for (let k = 0; k < weights.length; k++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      weights[k] = ((state >>> 0) / 2 ** 32 - 0.5) * (2 / WIDTH);
    }
    return { name: `w${i}`, dims: [WIDTH, WIDTH], data_type: TensorDataType.FLOAT, raw_data: new Uint8Array(weights.buffer) };
  });
  const node = initializer.map((w, i) => ({
    name: `matmul${i}`,
    op_type: 'MatMul',
    domain: '',
    input: [i === 0 ? 'x' : `h${i}`, w.name],
    output: [i === layers - 1 ? 'y' : `h${i + 1}`],
    attribute: [],
  }));
  const vector = (name: string) => ({
    name,
    type: { tensor_type: { elem_type: TensorDataType.FLOAT, shape: { dim: [{ dim_value: 1 }, { dim_value: WIDTH }] } } },
  });
  const model: ModelProto = {
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    producer_name: 'studio-storage-bench',
    graph: { name: 'synthetic', node, initializer, input: [vector('x')], output: [vector('y')], value_info: [] },
  };
  return encodeModel(model).slice(); // a copy on its own ArrayBuffer
}
