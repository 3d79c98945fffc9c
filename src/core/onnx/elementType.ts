// Tells a tensor's element type from the graph (declared types, initializers, Casts, constants), following the
// data input of type-preserving ops: an fp16-compute graph with float32 I/O has scores of its own type.
import type { GraphEditor } from './graphEditor';
import { attribute, TensorDataType, toNumber, type NodeProto } from './onnxProto';

const INT64_RESULT = new Set(['Shape', 'Size', 'ArgMax', 'ArgMin', 'NonZero']);
const BOOL_RESULT = new Set(['Equal', 'Greater', 'GreaterOrEqual', 'Less', 'LessOrEqual', 'Not', 'And', 'Or', 'Xor', 'IsNaN', 'IsInf']);

/** The element type a node's output has by itself, or which input carries it (the "data" input). */
function ownType(node: NodeProto): number | { from: string } | undefined {
  switch (node.op_type) {
    case 'Cast':
      return toNumber(attribute(node, 'to')?.i);
    case 'CastLike':
      return { from: node.input[1] };
    case 'Constant': {
      const value = attribute(node, 'value');
      if (value?.t) return value.t.data_type;
      if (attribute(node, 'value_float') || attribute(node, 'value_floats')) return TensorDataType.FLOAT;
      return TensorDataType.INT64;
    }
    case 'ConstantOfShape':
      return attribute(node, 'value')?.t?.data_type ?? TensorDataType.FLOAT;
    case 'DequantizeLinear':
      return { from: node.input[1] }; // the scale's type
    case 'Where':
      return { from: node.input[1] };
    default:
      if (INT64_RESULT.has(node.op_type)) return TensorDataType.INT64;
      if (BOOL_RESULT.has(node.op_type)) return TensorDataType.BOOL;
      return node.input[0] ? { from: node.input[0] } : undefined;
  }
}

export function elementTypeOf(g: GraphEditor, tensor: string): number | undefined {
  const path: string[] = [];
  let current = tensor;
  let found: number | undefined;
  for (let guard = 0; guard < 100_000; guard++) {
    const known = g.declaredType(current);
    if (known !== undefined) {
      found = known;
      break;
    }
    const producer = g.producers.get(current);
    if (!producer) break;
    path.push(current);
    const own = ownType(producer);
    if (own === undefined || typeof own === 'number') {
      found = own;
      break;
    }
    current = own.from;
  }
  if (found !== undefined) for (const name of path) g.recordType(name, found);
  return found;
}
