// Rewrites com.microsoft MultiHeadAttention cross-attention nodes as MatMul/Softmax/MatMul so they can be patched.
// With 77 keys the unfused form is cheap; fused self-attention is left as it is (not maskable).
import type { GraphEditor } from './graphEditor';
import { UnpatchableGraphError } from './findAttention';
import { attribute, toNumber, type NodeProto } from './onnxProto';

export interface UnfuseReport {
  unfusedCross: number;
  fusedSelfKept: number;
}

function isMha(node: NodeProto): boolean {
  return node.op_type === 'MultiHeadAttention' && node.domain === 'com.microsoft';
}

/** True when the MHA node's key is (a projection of) the text input. */
function keyComesFromText(g: GraphEditor, node: NodeProto, textInput: string): boolean {
  let tensor = node.input[1];
  for (let guard = 0; guard < 16 && tensor; guard++) {
    if (tensor === textInput) return true;
    const producer = g.producers.get(tensor);
    if (!producer) return false;
    const next = producer.input.find((i) => i && !g.isConstant(i));
    if (!next || !['MatMul', 'Gemm', 'Add', 'Cast', 'Identity'].includes(producer.op_type)) return false;
    tensor = next;
  }
  return false;
}

export function unfuseMultiHeadAttention(g: GraphEditor, textInput: string): UnfuseReport {
  const report: UnfuseReport = { unfusedCross: 0, fusedSelfKept: 0 };
  for (const node of g.graph.node.filter(isMha)) {
    const where = `MultiHeadAttention node "${node.name || node.output[0]}"`;
    if (!keyComesFromText(g, node, textInput)) {
      report.fusedSelfKept += 1;
      continue;
    }
    const [query, key, value, ...rest] = node.input;
    if (!key || !value) throw new UnpatchableGraphError(`${where} packs Q, K and V in one input, which is not supported.`);
    if (rest.some(Boolean)) throw new UnpatchableGraphError(`${where} has bias or mask inputs, which are not supported.`);
    if (node.output.slice(1).some(Boolean)) throw new UnpatchableGraphError(`${where} returns present key/value outputs, which are not supported.`);
    const heads = toNumber(attribute(node, 'num_heads')?.i);
    if (!heads) throw new UnpatchableGraphError(`${where} has no num_heads attribute.`);
    const scaleAttr = attribute(node, 'scale')?.f;

    g.emitBefore(node);
    const splitHeads = g.constInt64([0, 0, heads, -1]);
    const q = g.add('Transpose', [g.add('Reshape', [query, splitHeads])], { perm: [0, 2, 1, 3] }); // [B,h,N,d]
    const kT = g.add('Transpose', [g.add('Reshape', [key, splitHeads])], { perm: [0, 2, 3, 1] }); // [B,h,d,T]
    const v = g.add('Transpose', [g.add('Reshape', [value, splitHeads])], { perm: [0, 2, 1, 3] }); // [B,h,T,d]
    let scale: string;
    if (scaleAttr) {
      scale = g.constFloat([scaleAttr], []);
    } else {
      // 1/sqrt(head size), read from the tensor at run time since shapes are dynamic.
      const headSize = g.add('Cast', [g.add('Gather', [g.add('Shape', [q]), g.constInt64([3], [])], { axis: 0 })], { to: 1 });
      scale = g.add('Reciprocal', [g.add('Sqrt', [headSize])]);
    }
    const scores = g.add('Mul', [g.add('MatMul', [q, kT]), scale]);
    const probs = g.add('Softmax', [scores], { axis: -1 });
    const context = g.add('Transpose', [g.add('MatMul', [probs, v])], { perm: [0, 2, 1, 3] });
    g.add('Reshape', [context, g.constInt64([0, 0, -1])], {}, node.output[0]);
    g.remove(node);
    report.unfusedCross += 1;
  }
  return report;
}
