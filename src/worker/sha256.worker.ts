// Hashing worker (src/storage/download/chunkHasher.ts): the SHA-256s (storage/download/sha256.ts) of files being stored, over shared/rpc.ts.
import { serveRpc } from '../shared/rpc';
import type { HashApi } from '../shared/hashProtocol';
import { createHashHandlers, hashError } from '../storage/download/hashHandlers';

declare const self: DedicatedWorkerGlobalScope;

serveRpc<HashApi>(self, createHashHandlers(), hashError);
