// Hashing worker (src/storage/download/chunkHasher.ts): hash-wasm SHA-256s of files being stored, over shared/rpc.ts.
import { serveRpc } from '../shared/rpc';
import { createHashHandlers, hashError, type HashApi } from '../storage/download/hashApi';

declare const self: DedicatedWorkerGlobalScope;

serveRpc<HashApi>(self, createHashHandlers(), hashError);
