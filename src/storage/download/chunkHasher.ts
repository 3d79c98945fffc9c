// Streaming SHA-256 of a file's chunks, in a worker of its own where there are workers: OPFS writes are synchronous
// on the thread that stores, so hashing there would wait for every write and every write for the hash. Elsewhere
// (Node) the same hasher runs in the calling thread. SHA-256 is hash-wasm's WebAssembly either way.
import { createSHA256, type IHasher } from 'hash-wasm';
import type { HashReply, HashRequest, UnnumberedRequest } from './sha256Protocol';

export interface ChunkHasher {
  /** Hashes `bytes` after everything sent before; they are copied first, so the caller may reuse them at once. */
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
  return inBrowser() ? HashWorker.shared().open() : inThreadHasher(await createSHA256());
}

/** A page or a browser worker; not Node, where a Worker global can appear (ORT's threaded WebAssembly leaves one). */
const inBrowser = () => 'document' in globalThis || 'WorkerGlobalScope' in globalThis;

function inThreadHasher(hash: IHasher): ChunkHasher {
  return {
    update: async (bytes) => void hash.update(bytes),
    save: async () => hash.save(),
    load: async (state) => void hash.load(state),
    init: async () => void hash.init(),
    digest: async () => hash.digest('hex'),
    close: () => undefined,
  };
}

type Pending = { resolve: (reply: HashReply) => void; reject: (error: Error) => void };

/** The one hashing worker of this thread; hashers in it are told apart by id. A worker that fails fails its calls. */
class HashWorker {
  private static current: HashWorker | null = null;
  private readonly worker = new Worker(new URL('../../worker/sha256.worker.ts', import.meta.url), { type: 'module', name: 'sha256' });
  private readonly pending = new Map<number, Pending>();
  /** Buffers that came back from the worker: chunks are copied into one (memory already touched), not a new one. */
  private readonly spare: ArrayBuffer[] = [];
  private nextSeq = 1;
  private nextHasher = 1;

  static shared(): HashWorker {
    HashWorker.current ??= new HashWorker();
    return HashWorker.current;
  }

  private constructor() {
    this.worker.onmessage = ({ data }: MessageEvent<HashReply>) => {
      const call = this.pending.get(data.seq);
      this.pending.delete(data.seq);
      if (data.op === 'update') this.spare.push(data.buffer);
      if (data.op === 'error') call?.reject(new Error(`Hashing failed: ${data.message}`));
      else call?.resolve(data);
    };
    this.worker.onerror = (event) => this.fail(`the hashing worker stopped (${event.message || 'no reason given'})`);
  }

  private fail(reason: string): void {
    if (HashWorker.current === this) HashWorker.current = null;
    this.worker.terminate();
    for (const call of this.pending.values()) call.reject(new Error(`Hashing failed: ${reason}.`));
    this.pending.clear();
  }

  private call(request: UnnumberedRequest, transfer: Transferable[] = []): Promise<HashReply> {
    const seq = this.nextSeq++;
    return new Promise<HashReply>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.worker.postMessage({ ...request, seq } as HashRequest, transfer);
    });
  }

  private copyToSpare(bytes: Uint8Array): ArrayBuffer {
    const index = this.spare.findIndex((b) => b.byteLength >= bytes.length);
    const buffer = index >= 0 ? this.spare.splice(index, 1)[0] : new ArrayBuffer(bytes.length);
    new Uint8Array(buffer, 0, bytes.length).set(bytes);
    return buffer;
  }

  async open(): Promise<ChunkHasher> {
    const id = this.nextHasher++;
    await this.call({ op: 'open', id });
    let closed = false;
    return {
      update: async (bytes) => {
        const buffer = this.copyToSpare(bytes);
        await this.call({ op: 'update', id, buffer, length: bytes.length }, [buffer]);
      },
      save: async () => {
        const reply = await this.call({ op: 'save', id });
        return reply.op === 'save' ? reply.state : new Uint8Array(0);
      },
      load: async (state) => void (await this.call({ op: 'load', id, state })),
      init: async () => void (await this.call({ op: 'init', id })),
      digest: async () => {
        const reply = await this.call({ op: 'digest', id });
        return reply.op === 'digest' ? reply.hex : '';
      },
      close: () => {
        if (!closed) void this.call({ op: 'close', id }).catch(() => undefined);
        closed = true;
      },
    };
  }
}
