// Builds SD-shaped denoiser graphs node by node, as torch.onnx (opset 17) exports them: GroupNorm as Reshape ->
// InstanceNormalization -> Reshape -> Mul -> Add, attention as MatMul -> Mul(scale) -> Softmax -> MatMul on
// [B, heads, N, d], GEGLU as two Slices and an Erf GELU. Weights are deterministic xorshift noise, in fp32 or fp16.
import { float32ToFloat16Bits } from '../../src/core/ort/float16';
import { TensorDataType, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto } from '../../src/core/onnx/onnxProto';

const HEADS = 8;
export const TEXT_TOKENS = 77;
export const TEXT_DIM = 768;
/** SD's GroupNorm: 32 groups, eps 1e-5 (LayerNorm too). */
const GROUPS = 32;
const EPSILON = 1e-5;
export const LATENT_CHANNELS = 4;

type AttrValue = number | number[] | string | { float: number };

/** Appends nodes and initializers in order (the order is topological by construction). */
export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private counter = 0;
  /** xorshift32: deterministic random-looking weights without a dependency. */
  private state = 0x2545f491;

  /** `float16`: every float weight and constant is FLOAT16 (an fp16 export), except Resize scales, which ONNX wants float. */
  constructor(readonly float16 = false) {}

  /** The element type of the graph's float tensors. */
  get floatType(): number {
    return this.float16 ? TensorDataType.FLOAT16 : TensorDataType.FLOAT;
  }

  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, output?: string): string {
    const name = `${opType}_${this.counter++}`;
    const out = output ?? `${name}_out`;
    const attribute = Object.entries(attrs).map(([key, value]) => {
      if (Array.isArray(value)) return { name: key, type: 7, ints: value };
      if (typeof value === 'number') return { name: key, type: 2, i: value };
      if (typeof value === 'string') return { name: key, type: 3, s: new TextEncoder().encode(value) };
      return { name: key, type: 1, f: value.float };
    });
    this.nodes.push({ name, op_type: opType, domain: '', input: inputs, output: [out], attribute });
    return out;
  }

  private tensor(name: string, dims: number[], data: Float32Array | Uint16Array | BigInt64Array, dataType: number): string {
    this.initializers.push({ name, dims, data_type: dataType, raw_data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
    return name;
  }

  /** Uniform in (-bound, bound): torch's default init for Linear and Conv weights and biases is bound = 1/sqrt(fan_in). */
  uniform(name: string, dims: number[], bound: number): string {
    if (this.float16) return this.tensor(name, dims, this.randomHalves(count(dims), bound), TensorDataType.FLOAT16);
    const data = new Float32Array(count(dims));
    let s = this.state;
    for (let i = 0; i < data.length; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      data[i] = ((s >>> 0) / 2 ** 32 - 0.5) * 2 * bound;
    }
    this.state = s;
    return this.tensor(name, dims, data, TensorDataType.FLOAT);
  }

  /**
   * Random halves in (-bound, bound) at a few ns each (an SD UNet has 860M): one xorshift32 draw gives two halves, each
   * a random sign and mantissa over one exponent, so magnitudes lie in [e, 2e) for e the power of two at or below bound / 2.
   */
  private randomHalves(length: number, bound: number): Uint16Array {
    const exponent = Math.min(30, Math.max(1, Math.floor(Math.log2(bound)) - 1 + 15));
    const fixedBits = (exponent << 10) * 0x10001; // the exponent in both halves of a 32-bit word
    const words = new Uint32Array(Math.ceil(length / 2));
    let s = this.state;
    for (let i = 0; i < words.length; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      words[i] = (s & 0x83ff83ff) | fixedBits;
    }
    this.state = s;
    return new Uint16Array(words.buffer, 0, length);
  }

  filled(name: string, dims: number[], value: number): string {
    return this.floatTensor(name, dims, new Float32Array(count(dims)).fill(value));
  }

  /** Always float32: the builder uses it for Resize scales. */
  floats(name: string, values: number[]): string {
    return this.tensor(name, [values.length], Float32Array.from(values), TensorDataType.FLOAT);
  }

  private floatTensor(name: string, dims: number[], values: Float32Array): string {
    if (this.float16) return this.tensor(name, dims, float32ToFloat16Bits(values), TensorDataType.FLOAT16);
    return this.tensor(name, dims, values, TensorDataType.FLOAT);
  }

  int64(name: string, values: number[]): string {
    return this.tensor(name, [values.length], BigInt64Array.from(values.map(BigInt)), TensorDataType.INT64);
  }

  scalar(name: string, value: number): string {
    return this.floatTensor(name, [], new Float32Array([value]));
  }

  /** nn.Linear on [B, N, in]: MatMul with the transposed weight, then Add the bias (as torch exports it). */
  linear(x: string, name: string, inDim: number, outDim: number, bias = true): string {
    const bound = 1 / Math.sqrt(inDim);
    const y = this.op('MatMul', [x, this.uniform(`${name}.weight_t`, [inDim, outDim], bound)]);
    return bias ? this.op('Add', [this.uniform(`${name}.bias`, [outDim], bound), y]) : y;
  }

  conv(x: string, name: string, cin: number, cout: number, kernel: number, stride = 1): string {
    const bound = 1 / Math.sqrt(cin * kernel * kernel);
    const pad = (kernel - 1) >> 1;
    return this.op(
      'Conv',
      [x, this.uniform(`${name}.weight`, [cout, cin, kernel, kernel], bound), this.uniform(`${name}.bias`, [cout], bound)],
      {
        dilations: [1, 1],
        group: 1,
        kernel_shape: [kernel, kernel],
        pads: [pad, pad, pad, pad],
        strides: [stride, stride],
      },
    );
  }

  /** The timestep, broadcast to the batch and scaled to [0, 1], through a Linear(1, dim): [B, dim]. */
  timestepProjection(timestep: string, sample: string, dim: number): string {
    const batch = this.op('Slice', [this.op('Shape', [sample]), this.int64('batch_start', [0]), this.int64('batch_end', [1])]);
    const t = this.op('Div', [
      this.op('Unsqueeze', [this.op('Expand', [timestep, batch]), this.int64('t_axis', [1])]),
      this.scalar('t_scale', 1000),
    ]);
    return this.op('Gemm', [t, this.uniform('time_proj.weight', [dim, 1], 1), this.uniform('time_proj.bias', [dim], 1)], {
      alpha: { float: 1 },
      beta: { float: 1 },
      transB: 1,
    });
  }

  /** The model (opset 17), its last node's output renamed to the graph output's name. */
  model(names: { graph: string; producer: string }, input: ValueInfoProto[], output: ValueInfoProto): ModelProto {
    this.nodes[this.nodes.length - 1].output = [output.name];
    return {
      ir_version: 8,
      opset_import: [{ domain: '', version: 17 }],
      producer_name: names.producer,
      graph: { name: names.graph, node: this.nodes, initializer: this.initializers, input, output: [output], value_info: [] },
    };
  }

  /** torch exports SiLU as x * sigmoid(x). */
  silu(x: string): string {
    return this.op('Mul', [x, this.op('Sigmoid', [x])]);
  }

  /**
   * diffusers' ResnetBlock2D: GroupNorm, SiLU, 3x3 conv, plus the projected time embedding [B, timeDim] per channel;
   * again GroupNorm, SiLU, 3x3 conv; a 1x1 conv on the shortcut when the width changes.
   */
  resnet(x: string, name: string, cin: number, cout: number, temb: { tensor: string; dim: number }): string {
    let h = this.conv(this.silu(this.groupNorm(x, `${name}.norm1`, cin)), `${name}.conv1`, cin, cout, 3);
    const timeBias = this.linear(this.silu(temb.tensor), `${name}.time_emb_proj`, temb.dim, cout);
    h = this.op('Add', [h, this.op('Unsqueeze', [timeBias, this.int64(`${name}.time_axes`, [2, 3])])]);
    h = this.conv(this.silu(this.groupNorm(h, `${name}.norm2`, cout)), `${name}.conv2`, cout, cout, 3);
    const shortcut = cin === cout ? x : this.conv(x, `${name}.conv_shortcut`, cin, cout, 1);
    return this.op('Add', [shortcut, h]);
  }

  /** A nearest 2x upsample, as diffusers' Upsample2D exports (before its conv). */
  upsampleNearest2x(x: string, scalesName: string): string {
    return this.op('Resize', [x, '', this.floats(scalesName, [1, 1, 2, 2])], {
      coordinate_transformation_mode: 'asymmetric',
      mode: 'nearest',
      nearest_mode: 'floor',
    });
  }

  groupNorm(x: string, name: string, channels: number): string {
    const grouped = this.op('Reshape', [x, this.int64(`${name}.groups_shape`, [0, GROUPS, -1])]);
    const normed = this.op(
      'InstanceNormalization',
      [grouped, this.filled(`${name}.ones`, [GROUPS], 1), this.filled(`${name}.zeros`, [GROUPS], 0)],
      { epsilon: { float: EPSILON } },
    );
    const back = this.op('Reshape', [normed, this.op('Shape', [x])]);
    const scaled = this.op('Mul', [back, this.filled(`${name}.weight`, [channels, 1, 1], 1)]);
    return this.op('Add', [scaled, this.filled(`${name}.bias`, [channels, 1, 1], 0)]);
  }

  layerNorm(x: string, name: string, dim: number): string {
    return this.op('LayerNormalization', [x, this.filled(`${name}.weight`, [dim], 1), this.filled(`${name}.bias`, [dim], 0)], {
      axis: -1,
      epsilon: { float: EPSILON },
    });
  }

  /** Multi-head attention as unfused exports have it; `context` undefined means self-attention. */
  attention(x: string, name: string, dim: number, context?: { tensor: string; dim: number }): string {
    const headDim = dim / HEADS;
    const source = context?.tensor ?? x;
    const sourceDim = context?.dim ?? dim;
    const heads = this.int64(`${name}.heads_shape`, [0, -1, HEADS, headDim]);
    const q = this.op('Transpose', [this.op('Reshape', [this.linear(x, `${name}.to_q`, dim, dim, false), heads])], { perm: [0, 2, 1, 3] });
    const k = this.op('Reshape', [this.linear(source, `${name}.to_k`, sourceDim, dim, false), heads]);
    const v = this.op('Transpose', [this.op('Reshape', [this.linear(source, `${name}.to_v`, sourceDim, dim, false), heads])], {
      perm: [0, 2, 1, 3],
    });
    const kT = this.op('Transpose', [k], { perm: [0, 2, 3, 1] });
    const scores = this.op('Mul', [this.op('MatMul', [q, kT]), this.scalar(`${name}.scale`, headDim ** -0.5)]);
    const probs = this.op('Softmax', [scores], { axis: -1 });
    const out = this.op('Transpose', [this.op('MatMul', [probs, v])], { perm: [0, 2, 1, 3] });
    const merged = this.op('Reshape', [out, this.int64(`${name}.merge_shape`, [0, -1, dim])]);
    return this.linear(merged, `${name}.to_out`, dim, dim);
  }

  /** SD's Transformer2DModel with one BasicTransformerBlock, on [B, C, H, W]. */
  transformerBlock(x: string, name: string, channels: number, text: string): string {
    const tokens = this.op(
      'Transpose',
      [this.op('Reshape', [this.groupNorm(x, `${name}.norm`, channels), this.int64(`${name}.flatten_shape`, [0, channels, -1])])],
      { perm: [0, 2, 1] },
    );
    let h = this.linear(tokens, `${name}.proj_in`, channels, channels);
    h = this.op('Add', [this.attention(this.layerNorm(h, `${name}.norm1`, channels), `${name}.attn1`, channels), h]);
    h = this.op('Add', [
      this.attention(this.layerNorm(h, `${name}.norm2`, channels), `${name}.attn2`, channels, { tensor: text, dim: TEXT_DIM }),
      h,
    ]);
    // GEGLU: value * gelu(gate), the two halves of one 8C projection; gelu(x) = x * 0.5 * (1 + erf(x / sqrt 2)).
    const projected = this.linear(this.layerNorm(h, `${name}.norm3`, channels), `${name}.ff_in`, channels, channels * 8);
    const half = channels * 4;
    const axis = this.int64(`${name}.ff_axis`, [-1]);
    const value = this.op('Slice', [projected, this.int64(`${name}.value_start`, [0]), this.int64(`${name}.value_end`, [half]), axis]);
    const gate = this.op('Slice', [projected, this.int64(`${name}.gate_start`, [half]), this.int64(`${name}.gate_end`, [2 * half]), axis]);
    const erf = this.op('Add', [
      this.op('Erf', [this.op('Div', [gate, this.scalar(`${name}.sqrt2`, Math.SQRT2)])]),
      this.scalar(`${name}.one`, 1),
    ]);
    const gelu = this.op('Mul', [this.op('Mul', [gate, erf]), this.scalar(`${name}.half`, 0.5)]);
    h = this.op('Add', [h, this.linear(this.op('Mul', [value, gelu]), `${name}.ff_out`, half, channels)]);
    const out = this.linear(h, `${name}.proj_out`, channels, channels);
    const image = this.op('Reshape', [this.op('Transpose', [out], { perm: [0, 2, 1] }), this.op('Shape', [x])]);
    return this.op('Add', [image, x]);
  }
}

/** A graph input or output of the given element type; string dims are symbolic (e.g. 'batch'). */
export const tensorInfo = (name: string, dims: (number | string)[], elemType: number): ValueInfoProto => ({
  name,
  type: {
    tensor_type: {
      elem_type: elemType,
      shape: { dim: dims.map((d) => (typeof d === 'string' ? { dim_param: d } : { dim_value: d })) },
    },
  },
});

const count = (dims: number[]) => dims.reduce((n, d) => n * d, 1);
