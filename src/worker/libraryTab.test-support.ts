// One "tab" of the model library in Node: the library handlers served over a MessageChannel, called through the RPC client.
import type { LibraryApi } from '../shared/libraryProtocol';
import { RpcClient } from '../shared/rpc';
import { channelWorker } from '../shared/rpcChannel.test-support';
import type { ModelStore } from '../storage/modelStore';
import { TEST_CHUNK_BYTES } from '../storage/download/hubFixture.test-support';
import { createLibraryHandlers, libraryError } from './libraryHandler';

export function libraryTab(store: ModelStore): RpcClient<LibraryApi> {
  const handlers = createLibraryHandlers(store, { chunkBytes: TEST_CHUNK_BYTES, retryDelayMs: 5, storageUsage: async () => ({}) });
  return new RpcClient<LibraryApi>({
    name: 'model library',
    start: () => channelWorker<LibraryApi>(handlers, libraryError),
    silenceTimeoutMs: { list: 10_000, download: null, resume: null, import: null, pause: 10_000, delete: 10_000, fetchManifest: 10_000 },
    crashRemedy: 'Try again.',
  });
}
