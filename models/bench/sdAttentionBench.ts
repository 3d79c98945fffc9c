// Builds the SD-shaped attention bench graph (random weights) in TypeScript, so the bench needs no Python.
//
// Three transformer blocks (GroupNorm, proj_in, self-attention, cross-attention on 77 tokens of width 768,
// GEGLU feed-forward, proj_out) with 8 heads: 320 channels (head 40) and 640 channels (head 80) at 32x32 latents,
// and 1280 channels (head 160) at 16x16 after a stride-2 conv, then a nearest 2x upsample back to the 4-channel
// output. Node for node it is what torch.onnx (opset 17) exported from the former
// make_sd_attention_bench.py: GroupNorm as Reshape -> InstanceNormalization -> Reshape -> Mul -> Add, attention
// as MatMul -> Mul(scale) -> Softmax -> MatMul on [B, heads, N, d], GEGLU as two Slices and an Erf GELU. The
// graph has the UNet's I/O names (sample, timestep, encoder_hidden_states -> out_sample), so the attention
// patcher and the bench treat it as a denoiser. About 231 MB of fp32 weights.
import { SD_IO } from '../../src/shared/modelContract';
import { encodeModel, TensorDataType, type NodeProto, type TensorProto, type ValueInfoProto } from '../../src/core/onnx/onnxProto';

const HEADS = 8;
const TEXT_TOKENS = 77;
const TEXT_DIM = 768;
/** SD's GroupNorm: 32 groups, eps 1e-5 (LayerNorm too). */
const GROUPS = 32;
const EPSILON = 1e-5;
const LATENT_CHANNELS = 4;
const LATENT_SIZE = 32;

type AttrValue = number | number[] | string | { float: number };

/** Appends nodes and initializers in order (the order is topological by construction). */
class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private counter = 0;
  /** xorshift32: deterministic random-looking weights without a dependency. */
  private state = 0x2545f491;

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

  private tensor(name: string, dims: number[], data: Float32Array | BigInt64Array, dataType: number): string {
    this.initializers.push({ name, dims, data_type: dataType, raw_data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
    return name;
  }

  /** Uniform in (-bound, bound): torch's default init for Linear and Conv weights and biases is bound = 1/sqrt(fan_in). */
  uniform(name: string, dims: number[], bound: number): string {
    const data = new Float32Array(dims.reduce((n, d) => n * d, 1));
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

  filled(name: string, dims: number[], value: number): string {
    return this.tensor(name, dims, new Float32Array(dims.reduce((n, d) => n * d, 1)).fill(value), TensorDataType.FLOAT);
  }

  floats(name: string, values: number[]): string {
    return this.tensor(name, [values.length], Float32Array.from(values), TensorDataType.FLOAT);
  }

  int64(name: string, values: number[]): string {
    return this.tensor(name, [values.length], BigInt64Array.from(values.map(BigInt)), TensorDataType.INT64);
  }

  scalar(name: string, value: number): string {
    return this.tensor(name, [], new Float32Array([value]), TensorDataType.FLOAT);
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

const floatInput = (name: string, dims: (number | string)[]): ValueInfoProto => ({
  name,
  type: {
    tensor_type: {
      elem_type: TensorDataType.FLOAT,
      shape: { dim: dims.map((d) => (typeof d === 'string' ? { dim_param: d } : { dim_value: d })) },
    },
  },
});

/** SD 1.x's channel widths at its three resolutions; tests build narrower copies of the same structure. */
export const SD_CHANNELS = [320, 640, 1280] as const;

/**
 * The bench graph as ONNX bytes, on an ArrayBuffer of its own. Deterministic: the same bytes every call.
 * `channels` (each a multiple of 32, for GroupNorm and 8 heads) defaults to SD's widths.
 */
export function makeSdAttentionBench(channels: readonly [number, number, number] = SD_CHANNELS): Uint8Array<ArrayBuffer> {
  const [c0, c1, c2] = channels;
  const g = new GraphBuilder();
  const { sample, timestep, textEmbeddings: text, noisePrediction } = SD_IO.unet;
  // The timestep, broadcast to the batch and scaled to [0, 1], through a Linear(1, 320) as a per-channel bias.
  const batch = g.op('Slice', [g.op('Shape', [sample]), g.int64('batch_start', [0]), g.int64('batch_end', [1])]);
  const t = g.op('Div', [g.op('Unsqueeze', [g.op('Expand', [timestep, batch]), g.int64('t_axis', [1])]), g.scalar('t_scale', 1000)]);
  const temb = g.op('Gemm', [t, g.uniform('time_proj.weight', [c0, 1], 1), g.uniform('time_proj.bias', [c0], 1)], {
    alpha: { float: 1 },
    beta: { float: 1 },
    transB: 1,
  });
  const tBias = g.op('Unsqueeze', [temb, g.int64('temb_axes', [2, 3])]);
  let x = g.op('Add', [g.conv(sample, 'conv_in', LATENT_CHANNELS, c0, 3), tBias]);
  x = g.conv(g.transformerBlock(x, 'block0', c0, text), 'widen', c0, c1, 1);
  x = g.conv(g.transformerBlock(x, 'block1', c1, text), 'down', c1, c2, 3, 2);
  x = g.transformerBlock(x, 'block2', c2, text);
  const upsampled = g.op('Resize', [x, '', g.floats('up_scales', [1, 1, 2, 2])], {
    coordinate_transformation_mode: 'asymmetric',
    mode: 'nearest',
    nearest_mode: 'floor',
  });
  x = g.conv(upsampled, 'up', c2, c0, 3);
  g.conv(x, 'conv_out', c0, LATENT_CHANNELS, 3);
  g.nodes[g.nodes.length - 1].output = [noisePrediction]; // the graph output's public name

  const model = {
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    producer_name: 'studio-sd-attention-bench',
    graph: {
      name: 'sd_attention_bench',
      node: g.nodes,
      initializer: g.initializers,
      input: [
        floatInput(sample, ['batch', LATENT_CHANNELS, LATENT_SIZE, LATENT_SIZE]),
        floatInput(timestep, ['batch']),
        floatInput(text, ['batch', TEXT_TOKENS, TEXT_DIM]),
      ],
      output: [floatInput(noisePrediction, ['batch', LATENT_CHANNELS, LATENT_SIZE, LATENT_SIZE])],
      value_info: [],
    },
  };
  return encodeModel(model).slice();
}
