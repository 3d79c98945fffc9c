// Decodes and encodes ONNX ModelProto with protobufjs/light and the schema generated from onnx.proto.
// Decoded `bytes` fields are views into the input buffer, so large initializers are not copied.
import protobuf from 'protobufjs/light';
import schema from './onnx.schema.json';

const root = protobuf.Root.fromJSON(schema as protobuf.INamespace);
const ModelProtoType = root.lookupType('onnx.ModelProto');

/** ONNX TensorProto.DataType values the patcher uses. */
export const TensorDataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10 } as const;

/** AttributeProto.AttributeType values. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7 } as const;

type Int64 = number | { toNumber(): number };

export interface TensorProto {
  name: string;
  dims: Int64[];
  data_type: number;
  raw_data?: Uint8Array;
  float_data?: number[];
  int64_data?: Int64[];
  int32_data?: number[];
  /** 1 (EXTERNAL): the bytes live in the file external_data's `location` names, at `offset`, `length` long. */
  data_location?: number;
  external_data?: { key: string; value: string }[];
}

export interface AttributeProto {
  name: string;
  type: number;
  f?: number;
  i?: Int64;
  s?: Uint8Array;
  t?: TensorProto;
  floats?: number[];
  ints?: Int64[];
}

export interface NodeProto {
  name: string;
  op_type: string;
  domain: string;
  input: string[];
  output: string[];
  attribute: AttributeProto[];
}

export interface Dimension {
  dim_value?: Int64;
  dim_param?: string;
}

export interface ValueInfoProto {
  name: string;
  type?: { tensor_type?: { elem_type: number; shape?: { dim: Dimension[] } } };
}

export interface GraphProto {
  name: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  value_info: ValueInfoProto[];
}

export interface ModelProto {
  ir_version: Int64;
  opset_import: { domain: string; version: Int64 }[];
  producer_name?: string;
  graph: GraphProto;
}

export function decodeModel(bytes: Uint8Array): ModelProto {
  let decoded: protobuf.Message;
  try {
    decoded = ModelProtoType.decode(bytes);
  } catch (error) {
    throw new Error(`not an ONNX model (protobuf parsing failed: ${error instanceof Error ? error.message : String(error)})`);
  }
  const model = decoded as unknown as ModelProto;
  if (!model.graph) throw new Error('not an ONNX model (it has no graph)');
  return model;
}

export function encodeModel(model: ModelProto): Uint8Array {
  return ModelProtoType.encode(model as unknown as protobuf.Message).finish();
}

/**
 * A message's encoding split around one of its fields: the fields numbered below it, and those above. protobufjs
 * writes fields in number order, so `before`, that field's own encoding, then `after` are the bytes encode writes: a
 * writer can put a large field (raw_data, a graph's initializers) between them without copying it into one buffer.
 */
export function encodeAround(
  typeName: 'onnx.ModelProto' | 'onnx.GraphProto' | 'onnx.TensorProto',
  message: object,
  fieldName: string,
): { before: Uint8Array; after: Uint8Array; fieldNumber: number } {
  const type = root.lookupType(typeName);
  const split = type.fields[fieldName].id;
  const encodeFields = (keep: (fieldNumber: number) => boolean) =>
    type.encode(Object.fromEntries(Object.entries(message).filter(([name]) => type.fields[name] && keep(type.fields[name].id)))).finish();
  return { before: encodeFields((n) => n < split), after: encodeFields((n) => n > split), fieldNumber: split };
}

export function toNumber(value: Int64 | undefined): number {
  if (value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

export function attribute(node: NodeProto, name: string): AttributeProto | undefined {
  return node.attribute.find((a) => a.name === name);
}
