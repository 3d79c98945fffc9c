// Hashing worker (src/storage/download/chunkHasher.ts): one hash-wasm SHA-256 per file being stored, calls answered in the order sent.
import { createSHA256, type IHasher } from 'hash-wasm';
import type { HashReply, HashRequest } from '../storage/download/sha256Protocol';

declare const self: DedicatedWorkerGlobalScope;

const hashers = new Map<number, IHasher>();
let queue: Promise<void> = Promise.resolve();

async function answer(request: HashRequest): Promise<{ reply: HashReply; transfer: Transferable[] }> {
  const { seq, id } = request;
  if (request.op === 'open') {
    hashers.set(id, await createSHA256());
    return { reply: { seq, op: 'open' }, transfer: [] };
  }
  const hash = hashers.get(id);
  if (!hash) throw new Error(`no hasher ${id}`);
  switch (request.op) {
    case 'update':
      hash.update(new Uint8Array(request.buffer, 0, request.length));
      return { reply: { seq, op: 'update', buffer: request.buffer }, transfer: [request.buffer] };
    case 'save':
      return { reply: { seq, op: 'save', state: hash.save() }, transfer: [] };
    case 'load':
      hash.load(request.state);
      return { reply: { seq, op: 'load' }, transfer: [] };
    case 'init':
      hash.init();
      return { reply: { seq, op: 'init' }, transfer: [] };
    case 'digest':
      return { reply: { seq, op: 'digest', hex: hash.digest('hex') }, transfer: [] };
    case 'close':
      hashers.delete(id);
      return { reply: { seq, op: 'close' }, transfer: [] };
  }
}

self.onmessage = ({ data }: MessageEvent<HashRequest>) => {
  // Chained: creating a hasher awaits, and a call must not overtake the one before it.
  queue = queue.then(async () => {
    try {
      const { reply, transfer } = await answer(data);
      self.postMessage(reply, transfer);
    } catch (error) {
      self.postMessage({ seq: data.seq, op: 'error', message: error instanceof Error ? error.message : String(error) } satisfies HashReply);
    }
  });
};
