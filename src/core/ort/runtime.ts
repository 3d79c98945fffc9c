// The only module that imports onnxruntime-web: sessions, tensors, timing, GPU readback counting, device loss.
import * as ort from 'onnxruntime-web';
import { StudioError, type Stage } from '../../shared/errors';
import type { ComponentSessionOptions } from '../../shared/manifest';
import type { ExecutionProvider } from './backend';
import { float16BitsToFloat32 } from './float16';

export type Tensor = ort.Tensor;
export type Feeds = Record<string, ort.Tensor>;

export interface RuntimeStats {
  /** session.run calls and the milliseconds spent inside them (the "bare" model time). */
  runs: number;
  runMs: number;
  /** Tensors this runtime copied from the GPU to the CPU (outputs delivered on the CPU, explicit reads). */
  gpuReads: number;
}

/** Where one of ORT's WebAssembly builds lives (.wasm and its .mjs); in the browser the bundler's URLs, so nothing comes from a CDN. */
export interface WasmPaths {
  wasm: string;
  mjs: string;
}

/**
 * ORT's two builds the engine can run on. `plain` runs only the WASM EP, but it is half the size of `asyncify` and
 * has no asyncify instrumentation: a cold start compiles 14 MB instead of 27 MB (`npm run bench`'s
 * cold_start_model_ready_ms fell from 12,268 to 5,451 ms with it). `asyncify` runs WebGPU and WASM. A worker loads one build, once.
 */
export interface OrtBuilds {
  plain: WasmPaths;
  asyncify: WasmPaths;
  /** URL of ortModuleCapture.mjs, which ORT loads in place of a build's .mjs so modelBytes can reach its heap. */
  moduleCapture?: string;
}

export interface RuntimeOptions {
  ep: ExecutionProvider;
  /** Unset in Node, where onnxruntime-web finds its own files. */
  builds?: OrtBuilds;
  numThreads?: number;
}

/** The build ORT loaded in this worker (at its first session); it cannot load another. */
let loadedBuild: 'plain' | 'asyncify' | null = null;
let configuredBuild: 'plain' | 'asyncify' | null = null;

/** The build a runtime on `ep` should use: the loaded one when it can run `ep` (asyncify runs both), else the fitting one. */
function buildFor(ep: ExecutionProvider): 'plain' | 'asyncify' {
  if (ep === 'webgpu') return 'asyncify';
  return loadedBuild ?? 'plain';
}

/** The parts of ORT's Emscripten module that modelBytes uses (ortModuleCapture.mjs keeps the module). */
interface OrtWasmHeap {
  _malloc(size: number): number;
  _free(pointer: number): void;
  /** A view of the whole heap; a new one after the heap grows. */
  HEAPU8: Uint8Array;
}

const capturedHeap = (): OrtWasmHeap | undefined => {
  const module = (globalThis as Record<symbol, Partial<OrtWasmHeap> | undefined>)[Symbol.for('studio.ortWasmModule')];
  return module?._malloc && module._free && module.HEAPU8 ? (module as OrtWasmHeap) : undefined;
};

/** The paths ORT loads a build from: its .mjs behind ortModuleCapture.mjs when the builds have it. */
function wasmPathsOf(builds: OrtBuilds, build: 'plain' | 'asyncify'): WasmPaths {
  const { wasm, mjs } = builds[build];
  if (!builds.moduleCapture) return { wasm, mjs };
  const absolute = (url: string) => new URL(url, self.location.href).href;
  (globalThis as Record<symbol, string>)[Symbol.for('studio.ortLoader')] = absolute(mjs);
  return { wasm, mjs: absolute(builds.moduleCapture) };
}

/**
 * Room for one graph file's bytes, to be filled (by a store read) and handed to createSession. In ORT's WebAssembly
 * heap when the runtime can reach it: ORT then opens the graph where it lies (it copies any other buffer into its
 * heap first, see onnxruntime-web's createSession) and frees it after, so a model file is read once, into memory
 * ORT already holds, with no second buffer.
 */
export interface ModelBytes {
  readonly size: number;
  readonly inOrtHeap: boolean;
  /** The bytes. Take a new view after every await: a heap that grew meanwhile leaves old views short or detached. */
  view(): Uint8Array;
  /** For a read that failed: gives the room back (createSession takes care of it otherwise). */
  free(): void;
  /** The final view, for ORT, which frees heap bytes itself: free() does nothing after this. */
  handOver(): Uint8Array;
}

function heapModelBytes(heap: OrtWasmHeap, size: number): ModelBytes | undefined {
  const pointer = heap._malloc(size);
  if (!pointer) return undefined; // the heap is full: a plain buffer, and ORT's own allocation will tell
  let owned = true;
  const view = () => {
    if (!owned) throw new Error('These model bytes were already handed to ORT or freed.');
    return heap.HEAPU8.subarray(pointer, pointer + size);
  };
  return {
    size,
    inOrtHeap: true,
    view,
    free: () => {
      if (owned) heap._free(pointer);
      owned = false;
    },
    handOver: () => {
      const bytes = view();
      owned = false;
      return bytes;
    },
  };
}

function plainModelBytes(size: number): ModelBytes {
  const bytes = new Uint8Array(size);
  return { size, inOrtHeap: false, view: () => bytes, free: () => undefined, handOver: () => bytes };
}

/** A weights file an ONNX graph refers to by `path` (its location field), with its bytes. */
export interface ExternalDataFile {
  path: string;
  data: Uint8Array;
}

export interface InputInfo {
  name: string;
  type: string;
  shape: (number | string)[];
}

export class ModelSession {
  constructor(
    readonly name: string,
    private readonly runtime: OrtRuntime,
    private readonly session: ort.InferenceSession,
    private readonly stage: Stage,
  ) {}

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /** Element type and shape of an input, read from the model (exports differ: int32/int64/float16 timesteps...). */
  input(name: string): InputInfo {
    return this.tensorInfo(this.session.inputMetadata, name, 'input');
  }

  /** Element type and shape of an output (fp16 exports return float16 embeddings, predictions and images). */
  output(name: string): InputInfo {
    return this.tensorInfo(this.session.outputMetadata, name, 'output');
  }

  private tensorInfo(metadata: readonly ort.InferenceSession.ValueMetadata[], name: string, kind: 'input' | 'output'): InputInfo {
    const meta = metadata.find((m) => m.name === name);
    if (!meta?.isTensor) {
      throw new StudioError({
        code: 'model-load',
        stage: 'load',
        message: `Model ${this.name} has no tensor ${kind} named "${name}".`,
        remedy: 'The model file does not match its manifest; reinstall the model.',
      });
    }
    return { name, type: meta.type, shape: [...meta.shape] };
  }

  run(feeds: Feeds): Promise<Record<string, ort.Tensor>> {
    return this.runtime.enqueue(this.stage, async () => {
      const started = performance.now();
      const outputs = await this.session.run(feeds);
      this.runtime.recordRun(performance.now() - started, Object.values(outputs));
      return outputs;
    });
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

export class OrtRuntime {
  readonly stats: RuntimeStats = { runs: 0, runMs: 0, gpuReads: 0 };
  /** Graphs ORT opened where modelBytes placed them, in its heap (no copy): what a model load reports. */
  graphsOpenedInOrtHeap = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private deviceLost: string | null = null;

  private constructor(readonly ep: ExecutionProvider) {}

  static configure(options: RuntimeOptions): OrtRuntime {
    if (options.builds) {
      const build = buildFor(options.ep);
      if (loadedBuild && loadedBuild !== build) {
        throw new StudioError({
          code: 'engine-restart',
          stage: 'backend',
          message: `This engine runs ORT's WASM-only build; ${options.ep.toUpperCase()} needs its other build, which loads in a fresh engine.`,
          remedy: 'The engine restarts by itself; if this stays, reload the page.',
        });
      }
      ort.env.wasm.wasmPaths = wasmPathsOf(options.builds, build);
      configuredBuild = build;
    }
    if (options.numThreads) ort.env.wasm.numThreads = options.numThreads;
    return new OrtRuntime(options.ep);
  }

  /**
   * Room for a graph file of `size` bytes (see ModelBytes): in ORT's heap once ORT has loaded (its first session)
   * through ortModuleCapture.mjs, else a plain buffer.
   */
  modelBytes(size: number): ModelBytes {
    const heap = loadedBuild ? capturedHeap() : undefined;
    return (heap && heapModelBytes(heap, size)) ?? plainModelBytes(size);
  }

  /**
   * `bytes`: the graph, or ModelBytes from modelBytes() (taken over: ORT frees heap bytes, whether or not the graph
   * opens).
   * `externalData`: weights kept beside the graph (model.onnx_data), named as the graph refers to them.
   * `sessionOptions`: the manifest's per-model options (free dimension overrides, memory flags, optimisation level).
   */
  async createSession(
    name: string,
    bytes: Uint8Array | ModelBytes,
    opts: { stage: Stage; outputsOnGpu: boolean; externalData?: ExternalDataFile[]; sessionOptions?: ComponentSessionOptions },
  ): Promise<ModelSession> {
    const gpuOutputs = this.ep === 'webgpu' && opts.outputsOnGpu;
    loadedBuild ??= configuredBuild; // ORT loads its WebAssembly with the first session, whatever becomes of it
    try {
      const session = await this.openSession(bytes, {
        executionProviders: [this.ep],
        graphOptimizationLevel: 'all',
        ...opts.sessionOptions,
        ...wasmSafeOptimization(this.ep, opts.sessionOptions),
        preferredOutputLocation: gpuOutputs ? 'gpu-buffer' : 'cpu',
        ...(opts.externalData?.length ? { externalData: opts.externalData } : {}),
      });
      if (this.ep === 'webgpu') await this.watchDevice();
      return new ModelSession(name, this, session, opts.stage);
    } catch (error) {
      throw new StudioError({
        code: 'model-load',
        stage: 'load',
        message: `Could not create the ${name} session on ${this.ep.toUpperCase()}: ${error instanceof Error ? error.message : String(error)}`,
        remedy:
          this.ep === 'webgpu'
            ? 'Switch the backend to WASM in settings, or use a smaller model variant.'
            : 'Reinstall the model; the file may be damaged.',
      });
    }
  }

  /**
   * Heap bytes go to ORT as a view of its heap taken at the last moment (ORT checks that the view's buffer is its
   * heap's); inside the run queue, so no session run grows the heap in between. ORT frees them when done.
   */
  private openSession(bytes: Uint8Array | ModelBytes, options: ort.InferenceSession.SessionOptions): Promise<ort.InferenceSession> {
    if (bytes instanceof Uint8Array) return ort.InferenceSession.create(bytes, options);
    if (!bytes.inOrtHeap) return ort.InferenceSession.create(bytes.handOver(), options);
    this.graphsOpenedInOrtHeap += 1;
    return this.enqueue('load', () => ort.InferenceSession.create(bytes.handOver(), options));
  }

  tensor(type: 'float32', data: Float32Array, dims: readonly number[]): ort.Tensor;
  /** float16 values as their bit patterns (see float16.ts). */
  tensor(type: 'float16', data: Uint16Array, dims: readonly number[]): ort.Tensor;
  tensor(type: 'int32', data: Int32Array, dims: readonly number[]): ort.Tensor;
  tensor(type: 'int64', data: BigInt64Array, dims: readonly number[]): ort.Tensor;
  tensor(
    type: 'float32' | 'float16' | 'int32' | 'int64',
    data: Float32Array | Uint16Array | Int32Array | BigInt64Array,
    dims: readonly number[],
  ): ort.Tensor {
    return new ort.Tensor(type, data, dims);
  }

  /**
   * Copies a tensor's values to the CPU as float32 (float16 converted exactly); a GPU-resident tensor
   * counts as one GPU-to-CPU read.
   */
  async readFloat32(tensor: ort.Tensor): Promise<Float32Array> {
    if (tensor.location === 'gpu-buffer') this.stats.gpuReads += 1;
    const data = tensor.location === 'cpu' ? tensor.data : await tensor.getData();
    if (data instanceof Float32Array) return data;
    if (tensor.type === 'float16') {
      // ORT hands float16 data as bit patterns (Uint16Array), or as a Float16Array where the platform has one.
      return data instanceof Uint16Array ? float16BitsToFloat32(data) : Float32Array.from(data as ArrayLike<number>);
    }
    throw new Error(`Expected float32 or float16 data, got ${tensor.type}.`);
  }

  /** Frees a GPU-resident tensor (no-op for CPU tensors). */
  dispose(...tensors: (ort.Tensor | undefined)[]): void {
    for (const t of tensors) if (t && t.location === 'gpu-buffer') t.dispose();
  }

  /** Runs one model call at a time: sessions on one device must not interleave. */
  enqueue<T>(stage: Stage, task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      if (this.deviceLost) throw this.deviceLostError(stage);
      try {
        return await task();
      } catch (error) {
        if (this.deviceLost) throw this.deviceLostError(stage);
        throw StudioError.from(error, stage);
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  recordRun(ms: number, outputs: ort.Tensor[]): void {
    this.stats.runs += 1;
    this.stats.runMs += ms;
    // On WebGPU an output delivered on the CPU was downloaded from the GPU by ORT.
    if (this.ep === 'webgpu') this.stats.gpuReads += outputs.filter((t) => t.location === 'cpu').length;
  }

  resetStats(): void {
    this.stats.runs = 0;
    this.stats.runMs = 0;
    this.stats.gpuReads = 0;
  }

  private async watchDevice(): Promise<void> {
    const device = await ort.env.webgpu.device;
    if (!device || watchedDevices.has(device)) return;
    watchedDevices.add(device);
    void device.lost.then((info) => {
      this.deviceLost = info.message || info.reason || 'unknown reason';
    });
  }

  private deviceLostError(stage: Stage): StudioError {
    return new StudioError({
      code: 'device-lost',
      stage,
      message: `The GPU device was lost (${this.deviceLost}).`,
      remedy:
        'Reload the page to start a new GPU device; if it happens again, switch the backend to WASM in settings. Your gallery is kept.',
    });
  }
}

const watchedDevices = new WeakSet<object>();

/**
 * On WASM, 'disabled' becomes 'basic'. ORT's CPU provider runs fp16 graphs by casting around the kernels it
 * lacks in fp16, and with optimisation disabled that pass leaves a mistyped graph: the SD 1.5 WebNN fixture's
 * UNet and VAE fail to open ("Type (tensor(float)) of output arg (InsertedPrecisionFreeCast_...) does not match
 * expected type (tensor(float16))") and open at 'basic'. The WebNN demo disables optimisation for the GPU.
 */
function wasmSafeOptimization(
  ep: ExecutionProvider,
  options: ComponentSessionOptions | undefined,
): Pick<ComponentSessionOptions, 'graphOptimizationLevel'> {
  return ep === 'wasm' && options?.graphOptimizationLevel === 'disabled' ? { graphOptimizationLevel: 'basic' } : {};
}
