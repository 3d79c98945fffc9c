// Streaming SHA-256 of a file's chunks, in a worker of its own where there are workers: OPFS writes are synchronous
// on the thread that stores, so hashing there would wait for every write and every write for the hash. Elsewhere
// (Node) the same handlers (hashHandlers.ts) run in the calling thread.
import { InProcessCaller, RpcClient, type Caller } from '../../shared/rpc';
import type { HashApi } from '../../shared/hashProtocol';
import { createHashHandlers, hashError } from './hashHandlers';

export interface ChunkHasher {
  /** Hashes `bytes` after everything sent before; they are copied before this returns, so the caller may reuse them. */
  update(bytes: Uint8Array): Promise<void>;
  /** The state after everything sent before, to roll back to with load(). */
  save(): Promise<Uint8Array>;
  load(state: Uint8Array): Promise<void>;
  /** Starts over with nothing hashed. */
  init(): Promise<void>;
  digest(): Promise<string>;
  /** Frees the hasher; no call may follow. */
  close(): void;
}

export async function createChunkHasher(): Promise<ChunkHasher> {
  const hasher = new Hasher((shared ??= inBrowser() ? new HashWorker() : new HashInThread()), nextId++);
  await hasher.open();
  return hasher;
}

/** A page or a browser worker; not Node, where a Worker global can appear (ORT's threaded WebAssembly leaves one). */
const inBrowser = () => 'document' in globalThis || 'WorkerGlobalScope' in globalThis;

/** Where this thread's hashers run; one for all of them. */
interface HashService {
  caller: Caller<HashApi>;
  /** The bytes to send for a chunk (the worker's copy of it), and what to do with the buffer that comes back. */
  send(bytes: Uint8Array): Uint8Array<ArrayBuffer>;
  returned(buffer: ArrayBuffer): void;
}

let shared: HashService | null = null;
let nextId = 1;

class HashWorker implements HashService {
  readonly caller = new RpcClient<HashApi>({
    name: 'hashing',
    start: () => new Worker(new URL('../../worker/sha256.worker.ts', import.meta.url), { type: 'module', name: 'sha256' }),
    // A 16 MiB chunk hashes in well under a second; a minute allows for chunks of files downloading side by side.
    silenceTimeoutMs: { open: 60_000, update: 60_000, save: 60_000, load: 60_000, init: 60_000, digest: 60_000, close: 60_000 },
    crashRemedy: 'Try again; the parts already stored are kept.',
  });
  /** Buffers handed back by the worker: a chunk is copied into one (memory already touched), not a new one. */
  private readonly spare: ArrayBuffer[] = [];

  send(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
    const index = this.spare.findIndex((b) => b.byteLength >= bytes.length);
    const buffer = index >= 0 ? this.spare.splice(index, 1)[0] : new ArrayBuffer(bytes.length);
    const copy = new Uint8Array(buffer, 0, bytes.length);
    copy.set(bytes);
    return copy;
  }

  returned(buffer: ArrayBuffer): void {
    this.spare.push(buffer);
  }
}

class HashInThread implements HashService {
  readonly caller = new InProcessCaller<HashApi>(createHashHandlers(), hashError);

  send(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
    return bytes.slice(); // the caller may reuse its bytes while this hash waits (Node only: tests and benches)
  }

  returned(): void {}
}

class Hasher implements ChunkHasher {
  private closed = false;

  constructor(
    private readonly service: HashService,
    private readonly id: number,
  ) {}

  open(): Promise<void> {
    return this.service.caller.call('open', { id: this.id }).done;
  }

  async update(bytes: Uint8Array): Promise<void> {
    const sent = this.service.send(bytes);
    const buffer = await this.service.caller.call('update', { id: this.id, bytes: sent }, { transfer: [sent.buffer] }).done;
    this.service.returned(buffer);
  }

  save(): Promise<Uint8Array> {
    return this.service.caller.call('save', { id: this.id }).done;
  }

  load(state: Uint8Array): Promise<void> {
    return this.service.caller.call('load', { id: this.id, state }).done;
  }

  init(): Promise<void> {
    return this.service.caller.call('init', { id: this.id }).done;
  }

  digest(): Promise<string> {
    return this.service.caller.call('digest', { id: this.id }).done;
  }

  close(): void {
    if (!this.closed) void this.service.caller.call('close', { id: this.id }).done.catch(() => undefined);
    this.closed = true;
  }
}
