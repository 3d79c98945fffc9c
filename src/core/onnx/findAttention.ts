// Finds the attention blocks of a denoiser graph, tells cross- from self-attention, and their resolution level.
import type { GraphEditor } from './graphEditor';
import { elementTypeOf } from './elementType';
import { attribute, TensorDataType, toNumber, type NodeProto } from './onnxProto';

export interface AttentionSite {
  kind: 'cross' | 'self';
  /** Downsampling level of the queries: 0 at latent resolution, 1 at half, ... */
  level: number;
  softmax: NodeProto;
  /** MatMul(probs, V). */
  probsMatMul: NodeProto;
  /** Which input of probsMatMul is V (the other is the softmax output). */
  valueSlot: 0 | 1;
  /** Element type of the scores and probabilities (float16 inside an fp16-compute graph with float32 I/O). */
  scoreType: number;
  /** Element type of V. */
  valueType: number;
  /** True when the scores are known to be 4-D, [batch, heads, N, K], and need no reshaping to be read per batch row. */
  scoresAre4d: boolean;
}

export class UnpatchableGraphError extends Error {
  constructor(reason: string) {
    super(`This denoiser cannot be patched for attention control: ${reason}`);
    this.name = 'UnpatchableGraphError';
  }
}

const SCORE_PASSTHROUGH = new Set(['Mul', 'Div', 'Add', 'Cast', 'Identity']);
// Gather: a key taken out of a packed KV tensor (an unfused MultiHeadAttention).
const KEY_PASSTHROUGH = new Set(['Transpose', 'Reshape', 'Mul', 'Div', 'Cast', 'Identity', 'Unsqueeze', 'Squeeze', 'Add', 'Gather']);

/** Ops that pass a tensor on unchanged in value (a cast changes only its element type). */
export const CAST_OR_IDENTITY = new Set(['Cast', 'Identity']);

/** Walks back from a tensor through the given ops (following their non-constant input) and returns where it stops. */
export function walkBack(g: GraphEditor, tensor: string, through: Set<string>): { tensor: string; node?: NodeProto } {
  let current = tensor;
  for (let guard = 0; guard < 64; guard++) {
    const node = g.producers.get(current);
    if (!node || !through.has(node.op_type)) return { tensor: current, node };
    const next = node.input.find((i) => i && !g.isConstant(i));
    if (!next) return { tensor: current, node };
    current = next;
  }
  return { tensor: current, node: g.producers.get(current) };
}

/**
 * The MatMul whose Q·Kᵀ a softmax normalises, through scaling, casts and additions: diffusers' baddbmm export
 * adds Mul(ConstantOfShape, 0) to the scores, so an Add is followed along whichever input reaches the MatMul.
 */
function findScoresMatMul(g: GraphEditor, tensor: string, depth = 0): { node?: NodeProto; stoppedAt?: string } {
  const node = g.producers.get(tensor);
  if (node?.op_type === 'MatMul') return { node };
  if (!node || !SCORE_PASSTHROUGH.has(node.op_type) || depth > 16) return { stoppedAt: node?.op_type ?? 'a graph input' };
  const candidates = node.input.filter((i) => i && !g.isConstant(i));
  let first: { node?: NodeProto; stoppedAt?: string } | undefined;
  for (const input of candidates) {
    const found = findScoresMatMul(g, input, depth + 1);
    if (found.node) return found;
    first ??= found;
  }
  return first ?? { stoppedAt: node.op_type };
}

const FLOAT_TYPES: number[] = [TensorDataType.FLOAT, TensorDataType.FLOAT16];

/**
 * True when the scores are Q·Kᵀ (scaled by a constant, cast) of two 4-axis Transposes, as torch's exports of
 * [batch, heads, N, d] attention have them. A MatMul's output has its inputs' rank; anything else on the way
 * (an added mask could broadcast to more axes) answers false, and the patch reshapes as for 3-D scores.
 */
function scoresAre4d(g: GraphEditor, scores: string): boolean {
  let node = g.producers.get(scores);
  while (node && node.op_type !== 'MatMul') {
    const scaledByConstant = (node.op_type === 'Mul' || node.op_type === 'Div') && g.isConstant(node.input[1]);
    if (!scaledByConstant && node.op_type !== 'Cast' && node.op_type !== 'Identity') return false;
    node = g.producers.get(node.input[0]);
  }
  const isFourAxisTranspose = (input: string) => {
    const producer = g.producers.get(input);
    return producer?.op_type === 'Transpose' && attribute(producer, 'perm')?.ints?.length === 4;
  };
  return node?.input.every(isFourAxisTranspose) ?? false;
}

/** True when `tensor` is a linear projection (MatMul/Gemm with a constant weight) of `source` (through Cast/Identity). */
function projectsFrom(g: GraphEditor, tensor: string, source: string): boolean | undefined {
  const end = walkBack(g, tensor, KEY_PASSTHROUGH);
  if (!end.node || (end.node.op_type !== 'MatMul' && end.node.op_type !== 'Gemm')) return undefined;
  const [a, b] = end.node.input;
  const activation = g.isConstant(b) ? a : g.isConstant(a) ? b : undefined;
  if (!activation) return undefined;
  return walkBack(g, activation, CAST_OR_IDENTITY).tensor === source;
}

export function findAttentionSites(g: GraphEditor, textInput: string, levels: Map<string, number>): AttentionSite[] {
  const sites: AttentionSite[] = [];
  for (const softmax of g.graph.node.filter((n) => n.op_type === 'Softmax')) {
    const where = `Softmax node "${softmax.name || softmax.output[0]}"`;
    const axis = toNumber(attribute(softmax, 'axis')?.i ?? -1);
    if (axis !== -1 && axis !== 3 && axis !== 2)
      throw new UnpatchableGraphError(`${where} normalises over axis ${axis}, not the key axis.`);
    const scores = findScoresMatMul(g, softmax.input[0]);
    if (!scores.node) throw new UnpatchableGraphError(`${where} does not take Q·Kᵀ scores from a MatMul (found ${scores.stoppedAt}).`);
    const consumers = g.consumers.get(softmax.output[0]) ?? [];
    const probsMatMul = consumers.length === 1 && consumers[0].op_type === 'MatMul' ? consumers[0] : undefined;
    if (!probsMatMul || probsMatMul.input[0] !== softmax.output[0]) {
      throw new UnpatchableGraphError(`the output of ${where} does not feed exactly one MatMul with V.`);
    }
    const [query, keyT] = scores.node.input;
    const fromText = projectsFrom(g, keyT, textInput);
    if (fromText === undefined) throw new UnpatchableGraphError(`the keys of ${where} are not a linear projection the patcher recognises.`);
    const level = levels.get(query);
    if (level === undefined) throw new UnpatchableGraphError(`the queries of ${where} do not come from the "sample" input.`);
    const scoreType = elementTypeOf(g, softmax.input[0]);
    const valueType = elementTypeOf(g, probsMatMul.input[1]);
    for (const [what, type] of [
      ['scores', scoreType],
      ['values', valueType],
    ] as const) {
      if (type === undefined || !FLOAT_TYPES.includes(type)) {
        throw new UnpatchableGraphError(
          `the ${what} of ${where} have element type ${type ?? 'unknown (the graph does not say)'}, not float or float16.`,
        );
      }
    }
    sites.push({
      kind: fromText ? 'cross' : 'self',
      level,
      softmax,
      probsMatMul,
      valueSlot: 1,
      scoreType: scoreType!,
      valueType: valueType!,
      scoresAre4d: scoresAre4d(g, softmax.input[0]),
    });
  }
  return sites;
}

/**
 * Resolution level of every tensor computed from `sample`: a stride-2 Conv goes one level down,
 * an upsampling Resize one level up; other ops keep the level of their inputs.
 */
export function computeLevels(g: GraphEditor, sampleInput: string): Map<string, number> {
  const levels = new Map<string, number>([[sampleInput, 0]]);
  for (const node of g.graph.node) {
    const inputLevels = node.input.map((i) => levels.get(i)).filter((l): l is number => l !== undefined);
    if (inputLevels.length === 0) continue;
    let level = Math.max(...inputLevels);
    if (node.op_type === 'Conv') {
      const strides = attribute(node, 'strides')?.ints?.map(toNumber) ?? [1, 1];
      if (strides.some((s) => s === 2)) level += 1;
    } else if (node.op_type === 'Resize' || node.op_type === 'Upsample') {
      level -= 1;
    }
    for (const out of node.output) levels.set(out, level);
  }
  return levels;
}
