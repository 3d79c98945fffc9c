// Runs a model on logical batch rows whatever its fixed batch and element types: per-row feeds are split into
// the calls planBatchCalls gives and converted to the declared dtype (float16 on the CPU); every output comes
// back as float32 [rows, ...] on the CPU. Models whose batch and dtypes already fit run as they are.
import type { Feeds, ModelSession, OrtRuntime, Tensor } from '../ort/runtime';
import { float32ToFloat16Bits } from '../ort/float16';
import { planBatchCalls } from './staticBatch';

/** Feeds that are not per-row (the UNet's timestep), built for the batch of one call. */
export type SharedFeeds = (callBatch: number) => Feeds;

export class BatchedRunner {
  /** Float data already read from a feed tensor (the embeddings are fed on every step; read them once). */
  private readonly cache = new WeakMap<Tensor, ArrayLike<number | bigint>>();

  constructor(
    private readonly runtime: OrtRuntime,
    private readonly session: ModelSession,
    private readonly staticBatch: number | null,
  ) {}

  /** True when rows fit the model's batch and every float feed and output is float32: the session runs as is. */
  fitsAsIs(rows: number, rowFeeds: Feeds): boolean {
    if (this.staticBatch !== null && this.staticBatch !== rows) return false;
    const floatIn = Object.entries(rowFeeds).every(([name, t]) => !isFloat(t.type) || this.session.input(name).type === t.type);
    return floatIn && this.session.outputNames.every((name) => this.session.output(name).type !== 'float16');
  }

  /**
   * `rowFeeds`: tensors whose first dim is the logical batch; `shared`: the rest. Returns the session's own
   * outputs when it fits as is, else float32 CPU tensors [rows, ...] assembled from the calls.
   */
  async run(rows: number, rowFeeds: Feeds, shared: SharedFeeds = () => ({})): Promise<Record<string, Tensor>> {
    if (this.fitsAsIs(rows, rowFeeds)) return this.session.run({ ...rowFeeds, ...shared(rows) });
    const calls = planBatchCalls(rows, this.staticBatch);
    const assembled: Record<string, { data: Float32Array; dims: number[] }> = {};
    for (const call of calls) {
      const feeds: Feeds = { ...shared(call.length) };
      for (const [name, tensor] of Object.entries(rowFeeds)) feeds[name] = await this.gather(name, tensor, rows, call);
      const out = await this.session.run(feeds);
      for (const name of this.session.outputNames) {
        const tensor = out[name];
        const [, ...rest] = tensor.dims as number[];
        const rowSize = rest.reduce((a, b) => a * b, 1);
        const values = await this.runtime.readFloat32(tensor);
        assembled[name] ??= { data: new Float32Array(rows * rowSize), dims: [rows, ...rest] };
        call.forEach((row, position) =>
          assembled[name].data.set(values.subarray(position * rowSize, (position + 1) * rowSize), row * rowSize),
        );
      }
      this.runtime.dispose(...Object.values(out));
    }
    return Object.fromEntries(
      Object.entries(assembled).map(([name, { data, dims }]) => [name, this.runtime.tensor('float32', data, dims)]),
    );
  }

  /** The call's rows of a per-row feed, in the element type the model declares for that input. */
  private async gather(name: string, tensor: Tensor, rows: number, call: number[]): Promise<Tensor> {
    const [batch, ...rest] = tensor.dims as number[];
    if (batch !== rows) throw new Error(`${this.session.name} feed "${name}" has batch ${batch}, expected ${rows} rows.`);
    const rowSize = rest.reduce((a, b) => a * b, 1);
    const wanted = this.session.input(name).type;
    const source = await this.values(tensor);
    const dims = [call.length, ...rest];
    if (wanted === 'int64' || wanted === 'int32') {
      const out = wanted === 'int64' ? new BigInt64Array(call.length * rowSize) : new Int32Array(call.length * rowSize);
      call.forEach((row, i) => {
        for (let j = 0; j < rowSize; j++) {
          const v = source[row * rowSize + j];
          out[i * rowSize + j] = (wanted === 'int64' ? BigInt(v) : Number(v)) as never;
        }
      });
      return wanted === 'int64'
        ? this.runtime.tensor('int64', out as BigInt64Array, dims)
        : this.runtime.tensor('int32', out as Int32Array, dims);
    }
    const floats = new Float32Array(call.length * rowSize);
    call.forEach((row, i) => {
      for (let j = 0; j < rowSize; j++) floats[i * rowSize + j] = Number(source[row * rowSize + j]);
    });
    if (wanted === 'float16') return this.runtime.tensor('float16', float32ToFloat16Bits(floats), dims);
    if (wanted === 'float32') return this.runtime.tensor('float32', floats, dims);
    throw new Error(`${this.session.name} takes a ${wanted} "${name}", which the studio cannot feed.`);
  }

  private async values(tensor: Tensor): Promise<ArrayLike<number | bigint>> {
    const cached = this.cache.get(tensor);
    if (cached) return cached;
    const values = isFloat(tensor.type) ? await this.runtime.readFloat32(tensor) : (tensor.data as ArrayLike<number | bigint>);
    this.cache.set(tensor, values);
    return values;
  }
}

function isFloat(type: string): boolean {
  return type === 'float32' || type === 'float16';
}
