// One install or delete per model at a time, across tabs (Web Locks), with a cross-tab request to stop an install
// and the news that a model was deleted.
import { StudioError } from '../shared/errors';

/** Lock names are per model; the prefix keeps them apart from any other lock the origin takes. */
const lockName = (modelId: string) => `studio-model:${modelId}`;
/** Every tab's library worker listens here for "stop installing this model" (a delete in another tab). */
const STOP_CHANNEL = 'studio-model-library-stop';
/** Every tab's page listens here for "this model was deleted", to list what is stored now. */
const DELETED_CHANNEL = 'studio-model-library-deleted';

type LockCallback<T> = (lock: unknown) => Promise<T>;
interface LockManagerLike {
  request<T>(name: string, options: { ifAvailable?: boolean }, callback: LockCallback<T>): Promise<T>;
}

/**
 * The origin's LockManager (shared by every tab and worker), or, where there is none (Node before 24), one
 * for this process: the same queueing, so tests of two "tabs" in one process exercise the same waits.
 */
function lockManager(): LockManagerLike {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  return locks ?? processLocks;
}

const held = new Map<string, Promise<unknown>>();
const processLocks: LockManagerLike = {
  async request(name, options, callback) {
    if (options.ifAvailable && held.has(name)) return callback(null);
    const before = held.get(name) ?? Promise.resolve();
    const run = before.then(async () => {
      try {
        return await callback({ name });
      } finally {
        if (held.get(name) === tail) held.delete(name); // released before the caller sees the result, as Web Locks do
      }
    });
    const tail: Promise<unknown> = run.catch(() => undefined);
    held.set(name, tail);
    return run;
  },
};

/**
 * Runs an install holding the model's lock; refuses at once when another tab (or this one) holds it, so two
 * tabs never write the same files.
 */
export function withInstallLock<T>(modelId: string, modelName: string, work: () => Promise<T>): Promise<T> {
  return lockManager().request(lockName(modelId), { ifAvailable: true }, async (lock) => {
    if (!lock) {
      throw new StudioError({
        code: 'storage',
        stage: 'load',
        message: `${modelName} is already being installed or deleted (in this tab or another).`,
        remedy: 'Wait for it to finish, or pause it where it runs.',
      });
    }
    return work();
  });
}

/** Runs a delete once no install of the model runs anywhere: asks every tab to stop it, then waits for the lock. */
export function withDeleteLock<T>(modelId: string, work: () => Promise<T>): Promise<T> {
  requestStopEverywhere(modelId);
  return lockManager().request(lockName(modelId), {}, () => work());
}

function requestStopEverywhere(modelId: string): void {
  broadcast(STOP_CHANNEL, { modelId, sentAt: Date.now() });
}

/**
 * Calls `stop` when another tab asks to stop installing a model, with the time it asked: a message arrives
 * later than it was sent, and must not stop an install that started after the delete it was for.
 */
export function onStopRequest(stop: (modelId: string, sentAt: number) => void): () => void {
  return listen(STOP_CHANNEL, ({ modelId, sentAt }) => {
    if (typeof modelId === 'string' && typeof sentAt === 'number') stop(modelId, sentAt);
  });
}

/** Tells every tab that a model's files are gone (its own page hears it too). */
export function announceDeleted(modelId: string): void {
  broadcast(DELETED_CHANNEL, { modelId });
}

/** Calls `deleted` when a tab's library worker has deleted a model. */
export function onModelDeleted(deleted: (modelId: string) => void): () => void {
  return listen(DELETED_CHANNEL, ({ modelId }) => {
    if (typeof modelId === 'string') deleted(modelId);
  });
}

function broadcast(name: string, message: Record<string, unknown>): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(name);
  channel.postMessage(message);
  channel.close();
}

function listen(name: string, receive: (message: Record<string, unknown>) => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(name);
  (channel as { unref?: () => void }).unref?.(); // Node: a listening channel must not keep the process alive
  channel.onmessage = (event: MessageEvent<unknown>) => {
    if (typeof event.data === 'object' && event.data !== null) receive(event.data as Record<string, unknown>);
  };
  return () => channel.close();
}
