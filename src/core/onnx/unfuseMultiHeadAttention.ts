// Rewrites the fused attention forms ONNX Runtime's optimizer emits so the patcher can see (and the WASM backend run) them:
// cross-attention MultiHeadAttention (q,k,v[,bias] or q + packed KV) becomes MatMul/Softmax/MatMul (cheap with 77 keys);
// self-attention with packed QKV/KV becomes MultiHeadAttention(q,k,v), still fused (ORT's CPU kernels refuse packed
// inputs); com.microsoft.Attention is self-attention and stays as it is. Neither fused form is maskable.
import type { GraphEditor } from './graphEditor';
import { elementTypeOf } from './elementType';
import { UnpatchableGraphError } from './findAttention';
import { attribute, TensorDataType, toNumber, type NodeProto } from './onnxProto';

export interface UnfuseReport {
  unfusedCross: number;
  /** Fused self-attention left fused: MultiHeadAttention (repacked when it was packed) and Attention. */
  fusedSelfKept: number;
}

const MHA_INPUTS = ['query', 'key', 'value', 'bias', 'key_padding_mask', 'attention_bias', 'past_key', 'past_value'];

const isMicrosoft = (node: NodeProto, op: string) => node.op_type === op && node.domain === 'com.microsoft';

/** True when `tensor` is computed from the text input through projections and reshapes only. */
function comesFromText(g: GraphEditor, tensor: string, textInput: string): boolean {
  for (let guard = 0; guard < 32 && tensor; guard++) {
    if (tensor === textInput) return true;
    const producer = g.producers.get(tensor);
    if (!producer || !['MatMul', 'Gemm', 'Add', 'Cast', 'Identity', 'Reshape', 'Transpose'].includes(producer.op_type)) return false;
    const next = producer.input.find((i) => i && !g.isConstant(i));
    if (!next) return false;
    tensor = next;
  }
  return false;
}

export function unfuseMultiHeadAttention(g: GraphEditor, textInput: string): UnfuseReport {
  const report: UnfuseReport = { unfusedCross: 0, fusedSelfKept: 0 };
  for (const node of [...g.graph.node]) {
    if (isMicrosoft(node, 'Attention')) {
      report.fusedSelfKept += 1;
      continue;
    }
    if (!isMicrosoft(node, 'MultiHeadAttention')) continue;
    const where = `MultiHeadAttention node "${node.name || node.output[0]}"`;
    const extra = node.input.map((name, i) => (i >= 4 && name ? MHA_INPUTS[i] : '')).filter(Boolean);
    if (extra.length)
      throw new UnpatchableGraphError(
        `${where} has ${extra.join(', ')} inputs (a padding mask, an attention bias or a decoder cache), which a UNet's attention does not have.`,
      );
    if (node.output.slice(1).some(Boolean))
      throw new UnpatchableGraphError(
        `${where} returns present key/value outputs (a decoder cache), which a UNet's attention does not have.`,
      );
    const heads = toNumber(attribute(node, 'num_heads')?.i);
    if (!heads) throw new UnpatchableGraphError(`${where} has no num_heads attribute.`);
    const [query, key, value, bias] = node.input;
    const type = elementTypeOf(g, query);
    if (type !== TensorDataType.FLOAT && type !== TensorDataType.FLOAT16) {
      throw new UnpatchableGraphError(
        `the query of ${where} has element type ${type ?? 'unknown (not declared in the graph)'}, not float or float16.`,
      );
    }
    const cross = Boolean(key) && comesFromText(g, key, textInput);
    if (!cross && key && value && !bias) {
      report.fusedSelfKept += 1; // already the form every backend runs
      continue;
    }
    g.emitBefore(node);
    const qkv = splitInputs(g, { query, key, value, bias }, heads);
    if (cross) {
      writePlainAttention(g, qkv, type, attribute(node, 'scale')?.f, node.output[0]);
      report.unfusedCross += 1;
    } else {
      const flat = (x: string) => g.add('Reshape', [x, g.constInt64([0, 0, -1])]); // [B,S,N,H] -> [B,S,N*H]
      const attrs: Record<string, number | { float: number }> = { num_heads: heads };
      const scale = attribute(node, 'scale')?.f;
      if (scale) attrs.scale = { float: scale };
      g.add('MultiHeadAttention', [flat(qkv.q), flat(qkv.k), flat(qkv.v)], attrs, node.output[0], 'com.microsoft');
      report.fusedSelfKept += 1;
    }
    g.remove(node);
  }
  return report;
}

/** Q, K, V as [B, S, N, H] from any of the input forms (separate 3-D, packed KV, packed QKV), bias added. */
function splitInputs(
  g: GraphEditor,
  inputs: { query: string; key?: string; value?: string; bias?: string },
  heads: number,
): { q: string; k: string; v: string } {
  const splitHeads = g.constInt64([0, 0, heads, -1]);
  const part = (packed: string, index: number) => g.add('Gather', [packed, g.constInt64([index], [])], { axis: 3 });
  let q: string, k: string, v: string;
  if (!inputs.key && !inputs.value) {
    [q, k, v] = [0, 1, 2].map((i) => part(inputs.query, i)); // [B,S,N,3,H]
  } else if (inputs.key && !inputs.value) {
    q = g.add('Reshape', [inputs.query, splitHeads]);
    [k, v] = [0, 1].map((i) => part(inputs.key!, i)); // [B,L,N,2,H]
  } else {
    [q, k, v] = [inputs.query, inputs.key!, inputs.value!].map((x) => g.add('Reshape', [x, splitHeads]));
  }
  if (!inputs.bias) return { q, k, v };
  // bias [3*N*H]: Q's, K's and V's, in that order.
  const biasParts = g.add('Reshape', [inputs.bias, g.constInt64([3, heads, -1])]);
  const add = (x: string, i: number) => g.add('Add', [x, g.add('Gather', [biasParts, g.constInt64([i], [])], { axis: 0 })]);
  return { q: add(q, 0), k: add(k, 1), v: add(v, 2) };
}

/** softmax(Q Kᵀ * scale) V with Q, K, V [B, S, N, H], written to `output` as [B, S, N*H], in the query's type. */
function writePlainAttention(
  g: GraphEditor,
  qkv: { q: string; k: string; v: string },
  type: number,
  scaleAttr: number | undefined,
  output: string,
): void {
  const q = g.add('Transpose', [qkv.q], { perm: [0, 2, 1, 3] }); // [B,N,S,H]
  const kT = g.add('Transpose', [qkv.k], { perm: [0, 2, 3, 1] }); // [B,N,H,L]
  const v = g.add('Transpose', [qkv.v], { perm: [0, 2, 1, 3] }); // [B,N,L,H]
  let scale: string;
  if (scaleAttr) {
    scale = g.add('Cast', [g.constFloat([scaleAttr], [])], { to: type });
  } else {
    // 1/sqrt(head size), read from the tensor at run time since shapes may be symbolic.
    const headSize = g.add('Cast', [g.add('Gather', [g.add('Shape', [q]), g.constInt64([3], [])], { axis: 0 })], { to: type });
    scale = g.add('Reciprocal', [g.add('Sqrt', [headSize])]);
  }
  const probs = g.add('Softmax', [g.add('Mul', [g.add('MatMul', [q, kT]), scale])], { axis: -1 });
  const context = g.add('Transpose', [g.add('MatMul', [probs, v])], { perm: [0, 2, 1, 3] });
  g.add('Reshape', [context, g.constInt64([0, 0, -1])], {}, output);
}
