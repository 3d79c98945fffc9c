// The hashing worker's calls (src/storage/download/chunkHasher.ts makes them, src/worker/sha256.worker.ts serves them
// with src/storage/download/hashHandlers.ts): streaming SHA-256, one hasher per file being stored, told apart by the
// id the caller gives it.
import type { Method } from './rpc';

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
