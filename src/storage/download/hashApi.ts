// The hashing worker's calls (chunkHasher.ts makes them, sha256.worker.ts serves them): streaming SHA-256 in
// hash-wasm's WebAssembly, one hasher per file being stored, told apart by the id the caller gives it.
import { createSHA256, type IHasher } from 'hash-wasm';
import { StudioError } from '../../shared/errors';
import { withTransfer, type Handlers, type Method } from '../../shared/rpc';

type Id = { id: number };

export type HashApi = {
  open: Method<Id, void>;
  /** Hashes `bytes`; the reply is their buffer, handed back (a worker's caller copies the next chunk into it). */
  update: Method<Id & { bytes: Uint8Array<ArrayBuffer> }, ArrayBuffer>;
  /** The state after everything before, to roll back to with load. */
  save: Method<Id, Uint8Array>;
  load: Method<Id & { state: Uint8Array }, void>;
  /** Starts over with nothing hashed. */
  init: Method<Id, void>;
  digest: Method<Id, string>;
  close: Method<Id, void>;
};

/**
 * Every handler but open does its hashing right after one await of the hasher, the same for all, so calls take
 * effect in the order they arrive (serveRpc starts each call as its message comes in).
 */
export function createHashHandlers(): Handlers<HashApi> {
  const hashers = new Map<number, Promise<IHasher>>();
  const hasher = (id: number): Promise<IHasher> => hashers.get(id) ?? Promise.reject(new Error(`there is no hasher ${id}`));
  return {
    open: async ({ id }) => {
      hashers.set(id, createSHA256());
      await hashers.get(id);
    },
    update: async ({ id, bytes }) => {
      (await hasher(id)).update(bytes);
      return withTransfer(bytes.buffer, [bytes.buffer]);
    },
    save: async ({ id }) => (await hasher(id)).save(),
    load: async ({ id, state }) => void (await hasher(id)).load(state),
    init: async ({ id }) => void (await hasher(id)).init(),
    digest: async ({ id }) => (await hasher(id)).digest('hex'),
    close: async ({ id }) => void hashers.delete(id),
  };
}

export const hashError = (error: unknown, method: keyof HashApi): StudioError => {
  const reason = error instanceof Error ? error.message : String(error);
  return new StudioError({
    code: 'storage',
    stage: 'load',
    message: `Hashing the downloaded file failed (${method}: ${reason}).`,
    remedy: 'Try again; the parts already stored are kept.',
  });
};
