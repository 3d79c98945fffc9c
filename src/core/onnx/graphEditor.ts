// Indexes an ONNX graph (producers, consumers, constants) and adds nodes while keeping topological order.
import {
  AttributeType,
  TensorDataType,
  toNumber,
  type AttributeProto,
  type GraphProto,
  type NodeProto,
  type TensorProto,
} from './onnxProto';

type AttrValue = number | number[] | { float: number } | { string: string };

export class GraphEditor {
  readonly producers = new Map<string, NodeProto>();
  readonly consumers = new Map<string, NodeProto[]>();
  readonly initializers = new Map<string, TensorProto>();
  private readonly names = new Set<string>();
  /** Nodes that depend only on graph inputs: they go first. */
  private readonly prologue: NodeProto[] = [];
  private readonly before = new Map<NodeProto, NodeProto[]>();
  private readonly epilogue: NodeProto[] = [];
  private cursor: NodeProto[] = this.prologue;
  private readonly removed = new Set<NodeProto>();
  /** Element types declared in the graph (inputs, outputs, value_info, initializers) or found by elementTypeOf. */
  private readonly types = new Map<string, number>();

  constructor(readonly graph: GraphProto) {
    for (const init of graph.initializer) {
      this.initializers.set(init.name, init);
      this.names.add(init.name);
    }
    for (const input of graph.input) this.names.add(input.name);
    for (const info of [...graph.input, ...graph.output, ...(graph.value_info ?? [])]) {
      const type = info.type?.tensor_type?.elem_type;
      if (type) this.types.set(info.name, type);
    }
    for (const init of graph.initializer) this.types.set(init.name, init.data_type);
    for (const node of graph.node) {
      if (node.name) this.names.add(node.name);
      for (const out of node.output) {
        this.producers.set(out, node);
        this.names.add(out);
      }
      for (const input of node.input) {
        if (!input) continue;
        const list = this.consumers.get(input) ?? [];
        list.push(node);
        this.consumers.set(input, list);
      }
    }
  }

  declaredType(name: string): number | undefined {
    return this.types.get(name);
  }

  recordType(name: string, type: number): void {
    this.types.set(name, type);
  }

  uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /** Where the following add() calls put their nodes. */
  emitInPrologue(): void {
    this.cursor = this.prologue;
  }
  emitBefore(node: NodeProto): void {
    const list = this.before.get(node) ?? [];
    this.before.set(node, list);
    this.cursor = list;
  }
  emitInEpilogue(): void {
    this.cursor = this.epilogue;
  }

  /** Adds a node that depends only on graph inputs and constants, wherever the cursor is. */
  addInPrologue(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}): string {
    const cursor = this.cursor;
    this.cursor = this.prologue;
    try {
      return this.add(opType, inputs, attrs);
    } finally {
      this.cursor = cursor;
    }
  }

  /** Adds one node and returns its (first) output name. */
  add(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outputName?: string, domain = ''): string {
    const output = outputName ?? this.uniqueName(`studio_${opType.toLowerCase()}`);
    const node: NodeProto = {
      name: this.uniqueName(`studio/${opType}`),
      op_type: opType,
      domain,
      input: inputs,
      output: [output],
      attribute: Object.entries(attrs).map(([name, value]) => makeAttribute(name, value)),
    };
    this.cursor.push(node);
    this.producers.set(output, node);
    return output;
  }

  constInt64(values: number[], dims: number[] = [values.length]): string {
    return this.addInitializer('studio_i64', { dims, data_type: TensorDataType.INT64, int64_data: values });
  }

  constFloat(values: number[], dims: number[] = [values.length]): string {
    return this.addInitializer('studio_f32', { dims, data_type: TensorDataType.FLOAT, float_data: values });
  }

  private addInitializer(base: string, tensor: Omit<TensorProto, 'name'>): string {
    const name = this.uniqueName(base);
    const init = { name, ...tensor } as TensorProto;
    this.graph.initializer.push(init);
    this.initializers.set(name, init);
    return name;
  }

  /** True for initializers, Constant outputs and DequantizeLinear of an initializer (int8 weights). */
  isConstant(name: string): boolean {
    if (this.initializers.has(name)) return true;
    const producer = this.producers.get(name);
    if (!producer) return false;
    if (producer.op_type === 'Constant') return true;
    if (producer.op_type === 'DequantizeLinear' || producer.op_type === 'Cast' || producer.op_type === 'Identity')
      return this.isConstant(producer.input[0]);
    return false;
  }

  /** Numeric values of a small constant (float or int), if it is one. */
  constantValues(name: string): number[] | undefined {
    const init = this.initializers.get(name);
    if (init) return tensorValues(init);
    const producer = this.producers.get(name);
    if (producer?.op_type === 'Constant') {
      const value = producer.attribute.find((a) => a.name === 'value');
      return value?.t ? tensorValues(value.t) : undefined;
    }
    return undefined;
  }

  /** Drops a node at commit (its replacement must produce the same output names). */
  remove(node: NodeProto): void {
    this.removed.add(node);
  }

  /** Writes the added nodes into the graph in a valid topological order. */
  commit(): void {
    const nodes: NodeProto[] = [...this.prologue];
    for (const node of this.graph.node) {
      nodes.push(...(this.before.get(node) ?? []));
      if (!this.removed.has(node)) nodes.push(node);
    }
    nodes.push(...this.epilogue);
    this.graph.node.splice(0, this.graph.node.length, ...nodes);
  }
}

function makeAttribute(name: string, value: AttrValue): AttributeProto {
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if (typeof value === 'number') return { name, type: AttributeType.INT, i: value };
  if ('string' in value) return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value.string) };
  return { name, type: AttributeType.FLOAT, f: value.float };
}

function tensorValues(t: TensorProto): number[] | undefined {
  const count = t.dims.reduce<number>((n, d) => n * toNumber(d), 1);
  if (t.float_data?.length) return [...t.float_data];
  if (t.int64_data?.length) return t.int64_data.map(toNumber);
  if (t.int32_data?.length) return [...t.int32_data];
  const raw = t.raw_data;
  if (!raw || raw.length === 0) return count === 0 ? [] : undefined;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out: number[] = [];
  if (t.data_type === TensorDataType.FLOAT) for (let i = 0; i < raw.byteLength / 4; i++) out.push(view.getFloat32(i * 4, true));
  else if (t.data_type === TensorDataType.INT64)
    for (let i = 0; i < raw.byteLength / 8; i++) out.push(Number(view.getBigInt64(i * 8, true)));
  else if (t.data_type === TensorDataType.INT32) for (let i = 0; i < raw.byteLength / 4; i++) out.push(view.getInt32(i * 4, true));
  else return undefined;
  return out;
}
