// The hashing worker's handlers (src/shared/hashProtocol.ts): the WebAssembly SHA-256 of sha256.ts. Served in the
// hashing worker, and called in the storing thread itself where there are no workers (Node).
import { StudioError } from '../../shared/errors';
import type { HashApi } from '../../shared/hashProtocol';
import { withTransfer, type Handlers } from '../../shared/rpc';
import { Sha256 } from './sha256';

/**
 * Every handler but open does its hashing right after one await of the hasher, the same for all, so calls take
 * effect in the order they arrive (serveRpc starts each call as its message comes in).
 */
export function createHashHandlers(): Handlers<HashApi> {
  const hashers = new Map<number, Promise<Sha256>>();
  const hasher = (id: number): Promise<Sha256> => hashers.get(id) ?? Promise.reject(new Error(`there is no hasher ${id}`));
  return {
    open: async ({ id }) => {
      hashers.set(id, Sha256.create());
      await hashers.get(id);
    },
    update: async ({ id, bytes }) => {
      (await hasher(id)).update(bytes);
      return withTransfer(bytes.buffer, [bytes.buffer]);
    },
    save: async ({ id }) => (await hasher(id)).save(),
    load: async ({ id, state }) => void (await hasher(id)).load(state),
    init: async ({ id }) => void (await hasher(id)).init(),
    digest: async ({ id }) => (await hasher(id)).digest(),
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
