// Messages between a thread that stores model files and its hashing worker (chunkHasher.ts, sha256.worker.ts).

/** A request before the caller numbers it. */
export type UnnumberedRequest = HashRequest extends infer R ? (R extends unknown ? Omit<R, 'seq'> : never) : never;

export type HashRequest = { seq: number; id: number } & (
  | { op: 'open' | 'save' | 'init' | 'digest' | 'close' }
  | { op: 'update'; buffer: ArrayBuffer; length: number }
  | { op: 'load'; state: Uint8Array }
);

export type HashReply = { seq: number } & (
  | { op: 'open' | 'load' | 'init' | 'close' }
  /** The chunk's buffer, handed back for the next chunk. */
  | { op: 'update'; buffer: ArrayBuffer }
  | { op: 'save'; state: Uint8Array }
  | { op: 'digest'; hex: string }
  | { op: 'error'; message: string }
);
